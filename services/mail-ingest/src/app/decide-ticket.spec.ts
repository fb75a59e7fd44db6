import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { signMessageId } from '@helpdesk/mail';
import { decideTicket } from './decide-ticket';
import { FakeTicketService } from '../../test/in-memory.fakes';

const secret = 'threading-secret-threading-secret-threading';
const tenantId = randomUUID();

function world() {
  const tickets = new FakeTicketService();
  const named = tickets.addTicket(tenantId, {
    requesterEmail: 'dana@client.example',
    cc: ['cc@client.example'],
    clientId: 'client-1',
  });
  const other = tickets.addTicket(tenantId, { requesterEmail: 'eve@else.example' });
  // a message of `other` that replies may name
  tickets.messages.push({
    ticketId: other.id,
    kind: 'email_in',
    bodyText: '',
    emailMessageId: 'known@client.example',
    threadingRule: 'new_ticket',
    attachmentIds: [],
    author: 'x',
    rawRef: '',
  });
  tickets.contacts.set('colleague@client.example', { id: randomUUID(), clientId: 'client-1' });
  return { tickets, named, other };
}

const foreignId = fc.tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.domain()).map(([l, d]) => `${l}@${d}`);

describe('threading rules (SPEC §3), in order', () => {
  it('a signed Message-ID of ours anywhere in In-Reply-To/References wins over everything else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(foreignId, { maxLength: 5 }),
        fc.nat(5),
        fc.boolean(),
        async (noise, at, inReplyTo) => {
          const { tickets, named, other } = world();
          const ours = signMessageId({ secret, tenantId, ticketId: named.id, domain: 'support.example' });
          const refs = [...noise, 'known@client.example'];
          refs.splice(Math.min(at, refs.length), 0, ours);
          const decision = await decideTicket(
            {
              tenantId,
              inReplyTo: inReplyTo ? ours : 'known@client.example',
              references: refs,
              subject: `Re: [#${other.number}] whatever`,
              from: 'eve@else.example',
            },
            tickets,
            [secret],
          );
          expect(decision).toMatchObject({ kind: 'append', rule: 'signed_message_id' });
          expect(decision.kind === 'append' && decision.ticket.id).toBe(named.id);
        },
      ),
    );
  });

  it('a signature for another tenant or with another secret does not count', async () => {
    const { tickets, named } = world();
    for (const forged of [
      signMessageId({ secret, tenantId: randomUUID(), ticketId: named.id, domain: 'x.example' }),
      signMessageId({
        secret: 'another-secret-another-secret-another-secret',
        tenantId,
        ticketId: named.id,
        domain: 'x.example',
      }),
    ]) {
      const decision = await decideTicket(
        { tenantId, inReplyTo: forged, references: [], subject: 'hi', from: 'dana@client.example' },
        tickets,
        [secret],
      );
      expect(decision).toEqual({ kind: 'new', rule: 'new_ticket', named: null });
    }
  });

  it('then a known message named by In-Reply-To or References (newest first), recording which', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(foreignId, { maxLength: 4 }), fc.boolean(), async (noise, asInReplyTo) => {
        const { tickets, other } = world();
        const decision = await decideTicket(
          {
            tenantId,
            inReplyTo: asInReplyTo ? 'known@client.example' : (noise[0] ?? null),
            references: asInReplyTo ? noise : ['known@client.example', ...noise],
            subject: 'no token',
            from: 'anyone@anywhere.example',
          },
          tickets,
          [secret],
        );
        expect(decision).toMatchObject({ kind: 'append', rule: asInReplyTo ? 'in_reply_to' : 'references' });
        expect(decision.kind === 'append' && decision.ticket.id).toBe(other.id);
      }),
    );
  });

  it.each([
    ['the requester', 'Dana@Client.example'],
    ['a cc', 'cc@client.example'],
    ['a contact of the same client', 'colleague@client.example'],
  ])('then the subject token, when the sender is %s', async (_who, from) => {
    const { tickets, named } = world();
    const decision = await decideTicket(
      { tenantId, inReplyTo: null, references: [], subject: `AW: [#${named.number}] Drucker`, from },
      tickets,
      [secret],
    );
    expect(decision).toMatchObject({ kind: 'append', rule: 'subject_token' });
    expect(decision.kind === 'append' && decision.ticket.id).toBe(named.id);
  });

  it('a token from a stranger opens a new ticket that names the one it pointed at', async () => {
    await fc.assert(
      fc.asyncProperty(fc.emailAddress(), async (stranger) => {
        fc.pre(
          !['dana@client.example', 'cc@client.example', 'colleague@client.example'].includes(
            stranger.toLowerCase(),
          ),
        );
        const { tickets, named } = world();
        const decision = await decideTicket(
          { tenantId, inReplyTo: null, references: [], subject: `[#${named.number}]`, from: stranger },
          tickets,
          [secret],
        );
        expect(decision).toEqual({ kind: 'new', rule: 'subject_token_untrusted', named });
      }),
    );
  });

  it('anything else is a new ticket; a token of an unknown number is ignored', async () => {
    const { tickets } = world();
    expect(
      await decideTicket(
        {
          tenantId,
          inReplyTo: 'nobody@x.example',
          references: [],
          subject: '[#99999] hi',
          from: 'dana@client.example',
        },
        tickets,
        [secret],
      ),
    ).toEqual({
      kind: 'new',
      rule: 'new_ticket',
      named: null,
    });
  });
});
