import {
  decideNotifications,
  defaultPreferences,
  displayUrl,
  effectivePreferences,
  excerpt,
  resolveAudience,
  type AudienceLookup,
  type NotificationActor,
  type NotificationTrigger,
  type TicketFacts,
} from './notifications';

const ticket = (over: Partial<TicketFacts> = {}): TicketFacts => ({
  id: 't1',
  number: 1042,
  title: 'Printer offline',
  assigneeId: null,
  teamId: null,
  ...over,
});
const anna: NotificationActor = { type: 'user', id: 'anna', name: 'Anna' };
const bob: NotificationActor = { type: 'user', id: 'bob', name: 'Bob' };
const contact: NotificationActor = { type: 'contact', id: 'c1', name: 'Carla' };

const lookup = (
  over: Partial<{ teams: Record<string, string[]>; admins: string[]; inactive: string[] }> = {},
) => {
  const inactive = new Set(over.inactive ?? []);
  const active = (id: string) => !inactive.has(id);
  return {
    isActive: active,
    team: (id: string) => (over.teams?.[id] ?? []).filter(active),
    admins: () => (over.admins ?? []).filter(active),
  } satisfies AudienceLookup;
};

/** Type → recipients of one trigger, the way the use case resolves them. */
function recipients(trigger: NotificationTrigger, l: AudienceLookup = lookup()): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const d of decideNotifications(trigger)) {
    const except = new Set(d.except);
    out[d.type] = resolveAudience(d.audience, l).filter((id) => !except.has(id));
  }
  return out;
}

const assignment = (
  over: Partial<Extract<NotificationTrigger, { kind: 'assignment' }>>,
): NotificationTrigger => ({
  kind: 'assignment',
  ticket: ticket(),
  previousAssigneeId: null,
  previousTeamId: null,
  actor: anna,
  ...over,
});
const message = (over: Partial<Extract<NotificationTrigger, { kind: 'message' }>>): NotificationTrigger => ({
  kind: 'message',
  ticket: ticket(),
  messageKind: 'internal_note',
  author: anna,
  mentions: [],
  bodyText: 'text',
  ...over,
});

describe('assigned', () => {
  it('goes to the new assignee when someone else assigns', () => {
    const decided = decideNotifications(assignment({ ticket: ticket({ assigneeId: 'bob' }) }));
    expect(decided).toHaveLength(1);
    expect(decided[0]).toMatchObject({ type: 'assigned', title: '#1042 assigned to you by Anna' });
    expect(recipients(assignment({ ticket: ticket({ assigneeId: 'bob' }) }))).toEqual({ assigned: ['bob'] });
  });

  it('is not raised when the user assigns the ticket to themself', () => {
    expect(recipients(assignment({ ticket: ticket({ assigneeId: 'anna' }) }))).toEqual({});
  });

  it('is raised when the automation or an API key assigns', () => {
    const system: NotificationActor = { type: 'system', id: '', name: 'System' };
    expect(recipients(assignment({ ticket: ticket({ assigneeId: 'anna' }), actor: system }))).toEqual({
      assigned: ['anna'],
    });
  });

  it('is not raised again when only the team changes under the same assignee', () => {
    const trigger = assignment({
      ticket: ticket({ assigneeId: 'bob', teamId: 'net' }),
      previousAssigneeId: 'bob',
      previousTeamId: null,
    });
    expect(recipients(trigger)).toEqual({});
  });

  it('skips an inactive assignee', () => {
    expect(
      recipients(assignment({ ticket: ticket({ assigneeId: 'bob' }) }), lookup({ inactive: ['bob'] })),
    ).toEqual({ assigned: [] });
  });
});

describe('team_ticket', () => {
  const teams = { net: ['anna', 'bob', 'cem'] };

  it('goes to the team members when a ticket is created for a team with no assignee, the actor left out', () => {
    expect(recipients(assignment({ ticket: ticket({ teamId: 'net' }) }), lookup({ teams }))).toEqual({
      team_ticket: ['bob', 'cem'],
    });
  });

  it('goes to every member when a contact or the platform opened it', () => {
    const trigger = assignment({ ticket: ticket({ teamId: 'net' }), actor: contact });
    expect(recipients(trigger, lookup({ teams, inactive: ['cem'] }))).toEqual({
      team_ticket: ['anna', 'bob'],
    });
  });

  it('is raised when the ticket moves to another team, not when it stays', () => {
    const moved = assignment({ ticket: ticket({ teamId: 'net' }), previousTeamId: 'desk', actor: bob });
    expect(recipients(moved, lookup({ teams }))).toEqual({ team_ticket: ['anna', 'cem'] });
    const unassigned = assignment({
      ticket: ticket({ teamId: 'net' }),
      previousTeamId: 'net',
      previousAssigneeId: 'x',
    });
    expect(recipients(unassigned, lookup({ teams }))).toEqual({});
  });

  it('is not raised when the ticket has an assignee', () => {
    const trigger = assignment({ ticket: ticket({ teamId: 'net', assigneeId: 'cem' }) });
    expect(recipients(trigger, lookup({ teams }))).toEqual({ assigned: ['cem'] });
  });
});

describe('mentioned', () => {
  it('goes to each mentioned user but the author, in notes and public replies', () => {
    for (const messageKind of ['internal_note', 'public_reply']) {
      const trigger = message({ messageKind, mentions: ['bob', 'anna', 'cem', 'bob'] });
      expect(recipients(trigger)).toEqual({ mentioned: ['bob', 'cem'] });
    }
    const note = decideNotifications(message({ mentions: ['bob'] }))[0]!;
    expect(note.title).toBe('Anna mentioned you on #1042 (internal note)');
  });

  it('notifies a mentioned assignee even though it is their ticket', () => {
    const trigger = message({ ticket: ticket({ assigneeId: 'bob' }), mentions: ['bob'] });
    expect(recipients(trigger)).toEqual({ mentioned: ['bob'] });
  });

  it('ignores mentions of other message kinds', () => {
    expect(recipients(message({ messageKind: 'system', mentions: ['bob'] }))).toEqual({});
  });
});

describe('customer_replied', () => {
  const reply = (t: TicketFacts, messageKind = 'email_in') =>
    message({ ticket: t, messageKind, author: contact, bodyText: 'It is  still\n broken' });

  it('goes to the assignee, by e-mail or portal', () => {
    expect(recipients(reply(ticket({ assigneeId: 'bob', teamId: 'net' })))).toEqual({
      customer_replied: ['bob'],
    });
    expect(recipients(reply(ticket({ assigneeId: 'bob' }), 'public_reply'))).toEqual({
      customer_replied: ['bob'],
    });
    expect(decideNotifications(reply(ticket({ assigneeId: 'bob' })))[0]).toMatchObject({
      title: 'Carla replied on #1042',
      body: 'It is still broken',
    });
  });

  it('goes to the team members when there is no assignee, or the assignee is inactive', () => {
    const l = lookup({ teams: { net: ['anna', 'bob'] }, inactive: ['zed'] });
    expect(recipients(reply(ticket({ teamId: 'net' })), l)).toEqual({ customer_replied: ['anna', 'bob'] });
    expect(recipients(reply(ticket({ teamId: 'net', assigneeId: 'zed' })), l)).toEqual({
      customer_replied: ['anna', 'bob'],
    });
  });

  it('goes to nobody on a ticket of no one', () => {
    expect(recipients(reply(ticket()))).toEqual({});
  });

  it('is not raised by agents’ replies', () => {
    expect(
      recipients(message({ messageKind: 'public_reply', ticket: ticket({ assigneeId: 'bob' }) })),
    ).toEqual({});
  });
});

describe('sla_warning and sla_breached', () => {
  const sla = (t: TicketFacts, level: 'warning' | 'breached' = 'breached'): NotificationTrigger => ({
    kind: 'sla',
    ticket: t,
    level,
    target: 'first_response',
  });
  const l = lookup({ teams: { net: ['bob', 'cem'], empty: [] }, admins: ['root', 'boss'] });

  it('go to the assignee, else the team, else the admins', () => {
    expect(recipients(sla(ticket({ assigneeId: 'anna', teamId: 'net' })), l)).toEqual({
      sla_breached: ['anna'],
    });
    expect(recipients(sla(ticket({ teamId: 'net' }), 'warning'), l)).toEqual({ sla_warning: ['bob', 'cem'] });
    expect(recipients(sla(ticket({ teamId: 'empty' })), l)).toEqual({ sla_breached: ['root', 'boss'] });
    expect(recipients(sla(ticket()), l)).toEqual({ sla_breached: ['root', 'boss'] });
  });

  it('name the target', () => {
    expect(decideNotifications(sla(ticket(), 'warning'))[0]!.title).toBe('#1042 first response is due soon');
    expect(decideNotifications(sla(ticket()))[0]!.title).toBe('#1042 first response target breached');
  });
});

describe('automation', () => {
  const notify = (
    over: Partial<Extract<NotificationTrigger, { kind: 'automation' }>>,
  ): NotificationTrigger => ({
    kind: 'automation',
    ticket: ticket(),
    userIds: [],
    teamId: null,
    admins: false,
    message: 'Unassigned for 30 minutes',
    ruleName: 'Escalate',
    ...over,
  });
  const l = lookup({ teams: { net: ['bob', 'cem'] }, admins: ['root'] });

  it('goes to the users, the team and the admins it names, each once', () => {
    expect(recipients(notify({ userIds: ['anna', 'bob'] }), l)).toEqual({ automation: ['anna', 'bob'] });
    expect(recipients(notify({ userIds: ['bob'], teamId: 'net', admins: true }), l)).toEqual({
      automation: ['bob', 'cem', 'root'],
    });
    expect(recipients(notify({}), l)).toEqual({});
    expect(decideNotifications(notify({ admins: true }))[0]).toMatchObject({
      title: '#1042 Escalate',
      body: 'Unassigned for 30 minutes',
    });
  });
});

describe("the admins' notices (ADR 42)", () => {
  const l = lookup({ teams: { net: ['bob'] }, admins: ['root', 'boss', 'gone'], inactive: ['gone'] });
  const at = new Date('2027-03-06T08:00:00.000Z');
  const webhook = (
    over: Partial<Extract<NotificationTrigger, { kind: 'webhook_disabled' }>> = {},
  ): NotificationTrigger => ({
    kind: 'webhook_disabled',
    endpointId: 'w1',
    url: 'https://hooks.example.com/in/helpdesk?token=s3cret',
    reason: 'gone',
    failingSince: null,
    at,
    ...over,
  });
  const mailbox: NotificationTrigger = {
    kind: 'mailbox_reauthorization',
    mailboxId: 'm1',
    name: 'Support',
    address: 'support@msp.example',
    provider: 'microsoft',
    reason: 'invalid_grant: AADSTS700082: The refresh token has expired',
  };

  it('go to the active admins only, with no ticket', () => {
    expect(recipients(webhook(), l)).toEqual({ webhook_disabled: ['root', 'boss'] });
    expect(recipients(mailbox, l)).toEqual({ mailbox_reauthorization: ['root', 'boss'] });
    expect(recipients(mailbox, lookup({ admins: [] }))).toEqual({ mailbox_reauthorization: [] });
  });

  it('say which endpoint and why, without its query', () => {
    const [gone] = decideNotifications(webhook());
    expect(gone!.title).toBe('Webhook https://hooks.example.com/in/helpdesk disabled');
    expect(gone!.body).toMatch(/^The receiver answered 410 Gone/);
    expect(gone!.body).toContain('PATCH /api/v1/webhooks/w1 with {"active": true}');
    expect(`${gone!.title} ${gone!.body}`).not.toContain('s3cret');
    const [failing] = decideNotifications(
      webhook({ reason: 'failing', failingSince: new Date('2027-03-01T08:00:00.000Z') }),
    );
    expect(failing!.body).toMatch(/failed since 2027-03-01T08:00:00.000Z \(5 days\)/);
    expect(displayUrl('http://u:p@10.0.0.5:8080/')).toBe('http://10.0.0.5:8080');
    expect(displayUrl('not a url')).toBe('the endpoint');
  });

  it("say which mailbox and the provider's reason", () => {
    const [d] = decideNotifications(mailbox);
    expect(d!.title).toBe('Mailbox Support <support@msp.example> needs a new sign-in');
    expect(d!.body).toContain('Microsoft refused to renew its access: invalid_grant: AADSTS700082');
    expect(d!.body).toContain('(POST /api/v1/mailboxes/m1/oauth/start)');
  });
});

describe('preferences', () => {
  it("default to in-app on and e-mail off, except sla_breached and the admins' notices by e-mail", () => {
    const prefs = defaultPreferences();
    expect(Object.values(prefs.inApp).every(Boolean)).toBe(true);
    expect(Object.entries(prefs.email).filter(([, on]) => on)).toEqual([
      ['sla_breached', true],
      ['webhook_disabled', true],
      ['mailbox_reauthorization', true],
    ]);
  });

  it('lay stored switches over the defaults and ignore unknown types', () => {
    const prefs = effectivePreferences({
      inApp: { assigned: false, bogus: true },
      email: { mentioned: true },
    });
    expect(prefs.inApp.assigned).toBe(false);
    expect(prefs.inApp.mentioned).toBe(true);
    expect(prefs.email.mentioned).toBe(true);
    expect(prefs.email.sla_breached).toBe(true);
    expect('bogus' in prefs.inApp).toBe(false);
  });
});

it('excerpts a body to one line', () => {
  expect(excerpt('a\n\n b   c')).toBe('a b c');
  expect(excerpt('x'.repeat(400))).toHaveLength(280);
});
