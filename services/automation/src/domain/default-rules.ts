// The default rules of docs/product/automation.md, seeded for every tenant: editable, and each can be switched off.
import type { RuleDefinition } from './rule';

export interface DefaultRule extends RuleDefinition {
  /** Names the default in the tenant's rules, so that seeding twice writes it once. */
  seedKey: string;
}

export const DEFAULT_RULES: readonly DefaultRule[] = [
  {
    seedKey: 'close_waiting_on_customer',
    name: 'Close tickets waiting on the customer for 7 days',
    position: 1000,
    active: true,
    stopProcessing: false,
    trigger: { type: 'time', after: 'P7D', since: 'status_entered', businessHours: false },
    conditions: { all: [{ field: 'status', op: 'equals', value: 'waiting_on_customer' }], any: [] },
    actions: [{ type: 'set', field: 'status', value: 'closed' }],
  },
  {
    seedKey: 'close_resolved',
    name: 'Close resolved tickets after 3 days without activity',
    position: 1001,
    active: true,
    stopProcessing: false,
    trigger: { type: 'time', after: 'P3D', since: 'last_activity', businessHours: false },
    conditions: { all: [{ field: 'status', op: 'equals', value: 'resolved' }], any: [] },
    actions: [{ type: 'set', field: 'status', value: 'closed' }],
  },
  {
    seedKey: 'remind_waiting_on_customer',
    name: 'Remind the customer after 3 days waiting on them',
    position: 1002,
    active: true,
    stopProcessing: false,
    trigger: { type: 'time', after: 'P3D', since: 'status_entered', businessHours: false },
    conditions: { all: [{ field: 'status', op: 'equals', value: 'waiting_on_customer' }], any: [] },
    actions: [
      {
        type: 'send_email',
        to: 'requester',
        subject: 'We are waiting for your reply: [#{{ticket.number}}] {{ticket.title}}',
        bodyText:
          'Hello {{requester.name}},\n\nwe are still waiting for your reply on ticket #{{ticket.number}} ' +
          '({{ticket.title}}). Without an answer it closes automatically in a few days.',
      },
    ],
  },
  {
    seedKey: 'notify_unassigned_urgent',
    name: 'Tell the admins about high and critical tickets unassigned for 30 minutes',
    position: 1003,
    active: true,
    stopProcessing: false,
    trigger: { type: 'time', after: 'PT30M', since: 'created', businessHours: false },
    conditions: {
      all: [
        { field: 'priority', op: 'in', value: ['high', 'critical'] },
        { field: 'assigneeId', op: 'is_empty' },
      ],
      any: [],
    },
    actions: [
      {
        type: 'notify',
        admins: true,
        message: 'Ticket #{{ticket.number}} ({{ticket.title}}) has had no assignee for 30 minutes',
      },
    ],
  },
];
