import {
  defaultBusinessCalendar,
  defaultPolicySettings,
  policySettingsSchema,
  selectPolicy,
  slaPriority,
  type Policy,
  type PolicySettings,
} from './policy';

let n = 0;
function policy(over: Partial<PolicySettings> = {}): Policy {
  n += 1;
  return {
    ...defaultPolicySettings(null),
    isDefault: false,
    ...over,
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    tenantId: '00000000-0000-4000-8000-0000000000aa',
    createdAt: new Date(2026, 0, 1, 0, n),
    updatedAt: new Date(2026, 0, 1, 0, n),
    version: 1,
  };
}

const CLIENT_A = '0000000a-0000-4000-8000-000000000000';
const CLIENT_B = '0000000b-0000-4000-8000-000000000000';
const noMatch = { clientIds: [], priorities: [], types: [] };

describe('SLA policy choice', () => {
  const fallback = policy({ isDefault: true, name: 'Default' });
  const urgent = policy({ name: 'Urgent', match: { ...noMatch, priorities: ['critical', 'high'] } });
  const incidentsOfA = policy({
    name: 'A incidents',
    match: { ...noMatch, clientIds: [CLIENT_A], types: ['Incident'] },
  });
  const gold = policy({ name: 'Gold' });
  const all = [fallback, urgent, incidentsOfA, gold];

  it("gives a client's own policy first, over any match and the default", () => {
    expect(selectPolicy(all, { clientId: CLIENT_A, priority: 'critical', type: 'Incident' }, gold.id)).toBe(
      gold,
    );
  });

  it('falls back to matching when the client names a policy the tenant does not have', () => {
    expect(selectPolicy(all, { clientId: CLIENT_B, priority: 'high', type: null }, 'unknown-id')).toBe(
      urgent,
    );
  });

  it('takes the first policy whose every criterion holds, in creation order', () => {
    expect(selectPolicy(all, { clientId: CLIENT_A, priority: 'critical', type: 'Incident' }, null)).toBe(
      urgent,
    );
    expect(selectPolicy(all, { clientId: CLIENT_A, priority: 'low', type: 'incident' }, null)).toBe(
      incidentsOfA,
    );
    expect(selectPolicy(all, { clientId: CLIENT_B, priority: 'low', type: 'Incident' }, null)).toBe(fallback);
    expect(selectPolicy(all, { clientId: CLIENT_A, priority: 'low', type: null }, null)).toBe(fallback);
  });

  it('never matches a policy without criteria (it applies only through a client)', () => {
    expect(selectPolicy([gold, fallback], { clientId: null, priority: 'low', type: null }, null)).toBe(
      fallback,
    );
  });

  it('answers nothing when the tenant has no policy that applies', () => {
    expect(selectPolicy([urgent], { clientId: null, priority: 'low', type: null }, null)).toBeUndefined();
    expect(selectPolicy([], { clientId: null, priority: 'low', type: null }, null)).toBeUndefined();
  });

  it('reads an unknown priority as medium', () => {
    expect(slaPriority('')).toBe('medium');
    expect(slaPriority('high')).toBe('high');
  });
});

describe('SLA policy defaults and validation', () => {
  it('seeds SPEC §4: 15 min / 4 h, 2 h / 8 h, 8 h / 24 h, 24 h / 72 h, pausing while waiting, warning at 80 %', () => {
    const d = defaultPolicySettings('cal');
    expect(d.targets).toEqual({
      critical: { firstResponseMinutes: 15, resolutionMinutes: 240 },
      high: { firstResponseMinutes: 120, resolutionMinutes: 480 },
      medium: { firstResponseMinutes: 480, resolutionMinutes: 1440 },
      low: { firstResponseMinutes: 1440, resolutionMinutes: 4320 },
    });
    expect(d.pauseStatuses).toEqual(['waiting_on_customer', 'waiting_on_third_party']);
    expect(d.warnAtPercent).toBe(80);
    expect(d).toMatchObject({ calendarId: 'cal', isDefault: true });
    expect(policySettingsSchema.safeParse(d).success).toBe(false); // 'cal' is no uuid
    expect(policySettingsSchema.safeParse(defaultPolicySettings(null)).success).toBe(true);
  });

  it('seeds business hours Monday to Friday 08:00–18:00 in the tenant zone', () => {
    const c = defaultBusinessCalendar('Asia/Kolkata');
    expect(c.timezone).toBe('Asia/Kolkata');
    expect(c.hours.mon).toEqual([['08:00', '18:00']]);
    expect(c.hours.fri).toEqual([['08:00', '18:00']]);
    expect(c.hours.sat).toEqual([]);
    expect(c.hours.sun).toEqual([]);
    expect(defaultBusinessCalendar('Not/AZone').timezone).toBe('UTC');
  });

  it.each([
    [
      'a zero target',
      {
        targets: {
          ...defaultPolicySettings(null).targets,
          low: { firstResponseMinutes: 0, resolutionMinutes: 10 },
        },
      },
      'targets.low.firstResponseMinutes',
    ],
    [
      'a fractional target',
      {
        targets: {
          ...defaultPolicySettings(null).targets,
          high: { firstResponseMinutes: 1.5, resolutionMinutes: 10 },
        },
      },
      'targets.high.firstResponseMinutes',
    ],
    [
      'a missing priority',
      { targets: { critical: { firstResponseMinutes: 1, resolutionMinutes: 1 } } },
      'targets.high',
    ],
    ['pausing on resolved', { pauseStatuses: ['resolved'] }, 'pauseStatuses.0'],
    ['a warning at 0 %', { warnAtPercent: 0 }, 'warnAtPercent'],
    ['a warning over 100 %', { warnAtPercent: 101 }, 'warnAtPercent'],
    ['an unknown priority to match', { match: { ...noMatch, priorities: ['urgent'] } }, 'match.priorities.0'],
    ['a client id that is no uuid', { match: { ...noMatch, clientIds: ['acme'] } }, 'match.clientIds.0'],
    ['an empty name', { name: '  ' }, 'name'],
  ])('rejects %s, naming the field', (_what, over, path) => {
    const result = policySettingsSchema.safeParse({ ...defaultPolicySettings(null), ...over });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('drops repeated entries', () => {
    const parsed = policySettingsSchema.parse({
      ...defaultPolicySettings(null),
      pauseStatuses: ['waiting_on_customer', 'waiting_on_customer'],
      match: { clientIds: [CLIENT_A, CLIENT_A.toUpperCase()], priorities: ['low', 'low'], types: [] },
    });
    expect(parsed.pauseStatuses).toEqual(['waiting_on_customer']);
    expect(parsed.match.clientIds).toEqual([CLIENT_A]);
    expect(parsed.match.priorities).toEqual(['low']);
  });
});
