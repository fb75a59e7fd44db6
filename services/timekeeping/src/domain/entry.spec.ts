import { applyEntryPatch, mayChangeEntry, type TimeEntry } from './entry';
import { TimeRuleError } from './time-rules';

const now = new Date('2026-03-10T12:00:00.000Z');
const entry: TimeEntry = {
  id: 'e1',
  tenantId: 'tenant',
  ticketId: 'ticket',
  userId: 'user-1',
  startedAt: new Date('2026-03-10T08:00:00.000Z'),
  endedAt: new Date('2026-03-10T09:00:00.000Z'),
  durationMinutes: 60,
  note: 'printer',
  billable: true,
  workType: 'remote',
  flagged: false,
  flagReason: null,
  source: 'manual',
  createdBy: 'user-1',
  createdAt: new Date('2026-03-10T09:00:00.000Z'),
  updatedAt: new Date('2026-03-10T09:00:00.000Z'),
  version: 1,
};
const flagged: TimeEntry = {
  ...entry,
  durationMinutes: 900,
  endedAt: new Date('2026-03-10T23:00:00.000Z'),
  billable: false,
  flagged: true,
  flagReason: 'timer_over_12h',
  source: 'timer',
};

describe('changing an entry', () => {
  it('moves one end and keeps the other, or keeps the start for a new duration', () => {
    expect(applyEntryPatch(entry, { startedAt: new Date('2026-03-10T07:30:00.000Z') }, now)).toMatchObject({
      startedAt: new Date('2026-03-10T07:30:00.000Z'),
      endedAt: entry.endedAt,
      durationMinutes: 90,
    });
    expect(applyEntryPatch(entry, { endedAt: new Date('2026-03-10T08:20:00.000Z') }, now)).toMatchObject({
      startedAt: entry.startedAt,
      durationMinutes: 20,
    });
    expect(applyEntryPatch(entry, { durationMinutes: 15 }, now)).toMatchObject({
      startedAt: entry.startedAt,
      endedAt: new Date('2026-03-10T08:15:00.000Z'),
      durationMinutes: 15,
    });
  });

  it('bumps the version and the change time, and normalizes text', () => {
    const next = applyEntryPatch(entry, { note: '  toner  ', workType: '' }, now);
    expect(next).toMatchObject({ note: 'toner', workType: null, version: 2, updatedAt: now });
    expect(next.startedAt).toEqual(entry.startedAt);
  });

  it('refuses an end before the start, naming the field', () => {
    expect(() => applyEntryPatch(entry, { endedAt: new Date('2026-03-10T07:00:00.000Z') }, now)).toThrow(
      expect.objectContaining({ field: 'endedAt' }) as TimeRuleError,
    );
    expect(() => applyEntryPatch(entry, { durationMinutes: -5 }, now)).toThrow(TimeRuleError);
  });

  it('keeps a flagged entry flagged and non-billable until someone sets billable or the times', () => {
    expect(applyEntryPatch(flagged, { note: 'forgot it' }, now)).toMatchObject({
      flagged: true,
      billable: false,
    });
    expect(applyEntryPatch(flagged, { billable: true }, now)).toMatchObject({
      flagged: false,
      flagReason: null,
      billable: true,
      durationMinutes: 900,
    });
    // reviewed by fixing the times: still not billed unless said so
    expect(applyEntryPatch(flagged, { durationMinutes: 240 }, now)).toMatchObject({
      flagged: false,
      billable: false,
      durationMinutes: 240,
    });
  });

  it('lets only the entry user or an admin change it', () => {
    expect(mayChangeEntry(entry, { userId: 'user-1', admin: false })).toBe(true);
    expect(mayChangeEntry(entry, { userId: 'user-2', admin: false })).toBe(false);
    expect(mayChangeEntry(entry, { userId: 'user-2', admin: true })).toBe(true);
  });
});
