import type { slaV1 } from '@helpdesk/contracts';

const day = (ranges: Array<[string, string]>) => ranges.map(([start, end]) => ({ start, end }));

export function weekdays(ranges: Array<[string, string]>): slaV1.WeeklyHours {
  return {
    mon: day(ranges),
    tue: day(ranges),
    wed: day(ranges),
    thu: day(ranges),
    fri: day(ranges),
    sat: [],
    sun: [],
  };
}

export const allWeek = (ranges: Array<[string, string]>): slaV1.WeeklyHours => ({
  ...weekdays(ranges),
  sat: day(ranges),
  sun: day(ranges),
});

const target = (firstResponseMinutes: number, resolutionMinutes: number) => ({
  firstResponseMinutes,
  resolutionMinutes,
});

/** A 24×7 policy for tickets of type `SlaTest`, short targets so that timers fire within seconds of a test. */
export function testPolicy(
  tenantId: string,
  over: Partial<slaV1.CreatePolicyRequest> = {},
): slaV1.CreatePolicyRequest {
  return {
    tenantId,
    actor: undefined,
    name: 'Test SLA',
    calendarId: '',
    targets: {
      critical: target(1, 2),
      high: target(45, 90),
      medium: target(60, 120),
      low: target(60, 120),
    },
    pauseStatuses: ['waiting_on_customer', 'waiting_on_third_party'],
    warnAtPercent: 50,
    match: { clientIds: [], priorities: [], types: ['SlaTest'] },
    isDefault: false,
    ...over,
  };
}
