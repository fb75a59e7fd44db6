import { definitionProblems, type Action, type Trigger } from './rule';

const schedule: Trigger = { type: 'schedule', rrule: 'FREQ=DAILY;BYHOUR=9' };
const create: Action = { type: 'create_ticket', title: 'Daily check', clientId: 'c1' };
const webhook: Action = { type: 'webhook', webhookId: 'w1' };
const paths = (problems: ReturnType<typeof definitionProblems>) => problems.map((p) => p.path.join('.'));

describe('what a trigger allows', () => {
  it('lets event and time rules take a webhook, conditions and any action', () => {
    for (const trigger of [
      { type: 'event', events: ['ticket.created'] },
      { type: 'time', after: 'PT3S', since: 'created', businessHours: false },
    ] as Trigger[])
      expect(
        definitionProblems(trigger, [webhook, { type: 'add_tags', tags: ['x'] }], {
          all: [{ field: 'status', op: 'equals', value: 'open' }],
          any: [],
        }),
      ).toEqual([]);
  });

  it('lets a schedule rule create tickets for a client and call webhooks, nothing else', () => {
    expect(definitionProblems(schedule, [create, webhook])).toEqual([]);
    expect(
      paths(
        definitionProblems(schedule, [
          { type: 'add_note', bodyText: 'x' },
          { type: 'create_ticket', title: 'no client' },
        ]),
      ),
    ).toEqual(['actions.0.type', 'actions.1.clientId']);
    expect(paths(definitionProblems(schedule, [webhook]))).toEqual(['actions']);
  });

  it('refuses conditions on a schedule rule, naming each', () => {
    expect(
      paths(
        definitionProblems(schedule, [create], {
          all: [{ field: 'status', op: 'equals', value: 'open' }],
          any: [
            { field: 'priority', op: 'equals', value: 'high' },
            { field: 'tags', op: 'is_empty' },
          ],
        }),
      ),
    ).toEqual(['conditions.all.0', 'conditions.any.0', 'conditions.any.1']);
  });
});
