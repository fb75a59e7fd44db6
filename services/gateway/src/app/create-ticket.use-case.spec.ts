import { commonV1, type identityV1, type ticketV1 } from '@helpdesk/contracts';
import { notFound } from '@helpdesk/platform';
import { createTicket } from './create-ticket.use-case';
import type { IdentityPort, TicketPort } from './ports';

const openedAt = new Date('2026-01-02T03:04:05.000Z');

// Fakes of the two ports: the ticket port echoes what it was asked to create.
function deps(users: Record<string, identityV1.User>) {
  const created: ticketV1.CreateTicketRequest[] = [];
  const identity = {
    getUser: async ({ tenantId, id }: identityV1.GetUserRequest) => {
      const user = users[id];
      if (!user || user.tenantId !== tenantId) throw notFound('user');
      return { user };
    },
  } as unknown as IdentityPort;
  const tickets = {
    createTicket: async (req: ticketV1.CreateTicketRequest) => {
      created.push(req);
      return {
        ticket: {
          id: '00000000-0000-4000-8000-000000000001',
          tenantId: req.tenantId,
          number: 1001,
          title: req.title,
          descriptionHtml: `<p>${req.description}</p>`,
          descriptionText: req.description,
          status: 'open',
          priority: req.priority || 'medium',
          source: req.source || 'agent',
          raisedBy: req.requester?.email ?? '',
          requester: req.requester,
          createdBy: req.actor,
          openedAt,
          updatedAt: openedAt,
          version: 1,
        },
      };
    },
  } as unknown as TicketPort;
  return { identity, tickets, created };
}

const agent: identityV1.User = {
  id: 'u1',
  tenantId: 't1',
  email: 'agent@msp.io',
  name: 'Ann Agent',
  role: 'agent',
  handle: 'ann',
  timezone: 'UTC',
  active: true,
};

describe('createTicket', () => {
  it('raises the ticket for the calling agent when no requester is given', async () => {
    const d = deps({ u1: agent });
    const ticket = await createTicket(
      d,
      { actor: 'USER', tenantId: 't1', userId: 'u1', role: 'agent' },
      { title: 'Printer' },
    );
    expect(d.created[0]).toMatchObject({
      tenantId: 't1',
      actor: { type: commonV1.ActorType.ACTOR_TYPE_USER, id: 'u1' },
      requester: { email: 'agent@msp.io', name: 'Ann Agent' },
      priority: '',
      source: '',
    });
    expect(ticket).toMatchObject({
      number: 1001,
      descriptionHtml: '<p></p>',
      requester: { email: 'agent@msp.io', name: 'Ann Agent' },
      createdBy: { type: commonV1.ActorType.ACTOR_TYPE_USER, id: 'u1' },
      openedAt,
    });
  });

  it('uses the given requester and fields', async () => {
    const d = deps({});
    const ticket = await createTicket(
      d,
      { actor: 'API_KEY', tenantId: 't1', apiKeyId: 'k1', role: 'agent' },
      {
        title: 'VPN',
        description: 'down',
        priority: 'high',
        source: 'phone',
        requester: { email: 'c@client.io' },
      },
    );
    expect(d.created[0]).toMatchObject({
      actor: { type: commonV1.ActorType.ACTOR_TYPE_API_KEY, id: 'k1' },
      requester: { email: 'c@client.io', name: '' },
      priority: 'high',
      source: 'phone',
      description: 'down',
    });
    expect(ticket.requester).toEqual({ email: 'c@client.io', name: '' });
    expect(ticket.createdBy).toEqual({ type: commonV1.ActorType.ACTOR_TYPE_API_KEY, id: 'k1' });
  });

  it('requires a requester from an API key', async () => {
    const d = deps({});
    await expect(
      createTicket(d, { actor: 'API_KEY', tenantId: 't1', apiKeyId: 'k1', role: 'agent' }, { title: 'x' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(d.created).toHaveLength(0);
  });

  it('passes the picked client on, and asks who at the client raised it rather than making the agent its contact', async () => {
    const d = deps({ u1: agent });
    const principal = { actor: 'USER', tenantId: 't1', userId: 'u1', role: 'agent' } as const;
    const clientId = '00000000-0000-4000-8000-0000000000c1';
    await createTicket(d, principal, { title: 'Mail', clientId, requester: { email: 'jo@gmail.example' } });
    expect(d.created[0]).toMatchObject({ clientId, requester: { email: 'jo@gmail.example' } });
    await expect(createTicket(d, principal, { title: 'Mail', clientId })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('clientId'),
    });
    expect(d.created).toHaveLength(1);
    // without a client the agent still raises it for themself
    await createTicket(d, principal, { title: 'Mail' });
    expect(d.created[1]).toMatchObject({ clientId: '', requester: { email: 'agent@msp.io' } });
  });

  it("hands an Idempotency-Key to the ticket service as the create's dedupe key, per principal", async () => {
    const d = deps({ u1: agent, u2: { ...agent, id: 'u2', email: 'other@msp.io' } });
    const ann = { actor: 'USER', tenantId: 't1', userId: 'u1', role: 'agent' } as const;
    const other = { ...ann, userId: 'u2' } as const;
    await createTicket(d, ann, { title: 'Once' }, 'key-1');
    await createTicket(d, ann, { title: 'Once' }, 'key-1');
    await createTicket(d, other, { title: 'Once' }, 'key-1');
    await createTicket(d, ann, { title: 'No key' });
    const [first, retry, theirs, none] = d.created.map((r) => r.dedupeKey);
    expect(first).toMatch(/^api:[0-9a-f]{64}$/);
    expect(retry).toBe(first);
    expect(theirs).not.toBe(first);
    expect(none).toBe('');
    // the key itself never reaches the ticket service's rows
    expect(first).not.toContain('key-1');
  });

  it('looks the agent up in their own tenant only', async () => {
    const d = deps({ u1: agent });
    await expect(
      createTicket(d, { actor: 'USER', tenantId: 't2', userId: 'u1', role: 'agent' }, { title: 'x' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
