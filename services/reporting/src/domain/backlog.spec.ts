import fc from 'fast-check';
import {
  backlogSeries,
  compact,
  insertionDeltas,
  isOpenStatus,
  ticketDeltas,
  type BacklogDelta,
  type VersionPoint,
} from './backlog';

const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const v = (version: number, day: string, open: boolean, clientId: string | null = 'a'): VersionPoint => ({
  version,
  at: new Date(`${day}T12:00:00Z`),
  open,
  clientId,
});

/** Applies versions one by one in the given order, as the read model does, and sums the changes. */
function insertAll(order: readonly VersionPoint[]): BacklogDelta[] {
  const stored: VersionPoint[] = [];
  const deltas: BacklogDelta[] = [];
  for (const p of order) {
    if (stored.some((s) => s.version === p.version)) continue; // a redelivery: already there
    const below = stored.filter((s) => s.version < p.version).sort((a, b) => b.version - a.version)[0];
    const above = stored.filter((s) => s.version > p.version).sort((a, b) => a.version - b.version)[0];
    deltas.push(...insertionDeltas(below ?? null, p, above ?? null, dayOf));
    stored.push(p);
  }
  return compact(deltas);
}

function openAtEndOf(deltas: readonly BacklogDelta[], days: string[], clientId?: string | null) {
  const byDay = new Map<string, number>();
  for (const d of deltas) {
    if (clientId !== undefined && d.clientId !== clientId) continue;
    byDay.set(d.day, (byDay.get(d.day) ?? 0) + d.delta);
  }
  return backlogSeries(days, 0, byDay).map((d) => d.open);
}

const DAYS = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05'];

describe('backlog by day', () => {
  it('counts a ticket from its opening to its resolution, and again after a reopen', () => {
    const versions = [
      v(1, '2026-11-01', true),
      v(2, '2026-11-02', false),
      v(3, '2026-11-04', true),
      v(4, '2026-11-04', true),
    ];
    expect(openAtEndOf(ticketDeltas(versions, dayOf), DAYS)).toEqual([1, 0, 0, 1, 1]);
  });

  it('leaves a past day alone when an old ticket moves to another client later', () => {
    const versions = [v(1, '2026-11-01', true, 'a'), v(2, '2026-11-03', true, 'b')];
    const deltas = ticketDeltas(versions, dayOf);
    expect(openAtEndOf(deltas, DAYS, 'a')).toEqual([1, 1, 0, 0, 0]);
    expect(openAtEndOf(deltas, DAYS, 'b')).toEqual([0, 0, 1, 1, 1]);
    expect(openAtEndOf(deltas, DAYS)).toEqual([1, 1, 1, 1, 1]);
  });

  it('places a version that arrives late between its neighbours', () => {
    const versions = [v(1, '2026-11-01', true), v(2, '2026-11-02', false), v(3, '2026-11-04', true)];
    const late = insertAll([versions[0]!, versions[2]!, versions[1]!]);
    expect(openAtEndOf(late, DAYS)).toEqual([1, 0, 0, 1, 1]);
    expect(late).toEqual(ticketDeltas(versions, dayOf));
  });

  it('only open statuses count', () => {
    expect(['open', 'in_progress', 'waiting_on_customer', 'waiting_on_third_party'].every(isOpenStatus)).toBe(
      true,
    );
    expect(isOpenStatus('resolved') || isOpenStatus('closed')).toBe(false);
  });

  it('depends only on the set of versions, not on their order or repetition (property)', () => {
    const point = fc.record({
      day: fc.integer({ min: 0, max: 4 }),
      open: fc.boolean(),
      clientId: fc.constantFrom('a', 'b', null),
    });
    fc.assert(
      fc.property(
        fc.array(point, { minLength: 1, maxLength: 12 }).chain((points) => {
          // versions grow with time, as a ticket's updatedAt does
          let day = 0;
          const versions = points.map((p, i) => {
            day = Math.max(day, p.day);
            return v(i + 1, DAYS[day]!, p.open, p.clientId);
          });
          const withRepeats = fc
            .array(fc.integer({ min: 0, max: versions.length - 1 }), { maxLength: 5 })
            .map((repeat) => [...versions, ...repeat.map((i) => versions[i]!)]);
          return fc.tuple(
            fc.constant(versions),
            withRepeats.chain((all) => fc.shuffledSubarray(all, { minLength: all.length })),
          );
        }),
        ([versions, order]) => {
          expect(insertAll(order)).toEqual(ticketDeltas(versions, dayOf));
        },
      ),
      { numRuns: 300 },
    );
  });
});
