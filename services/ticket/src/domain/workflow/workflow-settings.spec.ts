import { closedReplyReopens, DAY_MS, workflowSettingsSchema } from './workflow-settings';

describe('workflowSettingsSchema', () => {
  it('defaults closedReplyPolicy to follow_up (SPEC §2)', () => {
    expect(workflowSettingsSchema.parse({})).toEqual({ closedReplyPolicy: 'follow_up' });
  });

  it.each([['follow_up'], ['reopen'], [{ reopenWithinDays: 0 }], [{ reopenWithinDays: 365 }]])(
    'accepts %j',
    (policy) => {
      expect(workflowSettingsSchema.parse({ closedReplyPolicy: policy }).closedReplyPolicy).toEqual(policy);
    },
  );

  it.each([
    ['always'],
    [{ reopenWithinDays: -1 }],
    [{ reopenWithinDays: 1.5 }],
    [{ reopenWithinDays: 366 }],
    [{ days: 3 }],
    [{ reopenWithinDays: 3, extra: true }],
  ])('rejects %j', (policy) => {
    expect(workflowSettingsSchema.safeParse({ closedReplyPolicy: policy }).success).toBe(false);
  });
});

describe('closedReplyReopens', () => {
  const closedAt = new Date('2026-01-10T12:00:00.000Z');
  const after = (ms: number) => new Date(closedAt.getTime() + ms);

  it('follow_up never reopens, reopen always does', () => {
    expect(closedReplyReopens('follow_up', closedAt, after(0))).toBe(false);
    expect(closedReplyReopens('reopen', closedAt, after(1000 * DAY_MS))).toBe(true);
  });

  it('counts whole 24-hour days, inclusive of the boundary', () => {
    expect(closedReplyReopens({ reopenWithinDays: 3 }, closedAt, after(3 * DAY_MS))).toBe(true);
    expect(closedReplyReopens({ reopenWithinDays: 3 }, closedAt, after(3 * DAY_MS + 1))).toBe(false);
  });
});
