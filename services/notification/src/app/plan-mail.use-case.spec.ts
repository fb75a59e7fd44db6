import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { ticketNumbersIn } from '@helpdesk/mail';
import type { OutboundMail, PlanStore } from './ports';
import { PlanMailUseCase, type MailReceived } from './plan-mail.use-case';

/** The planning store in memory, with the semantics of the SQL one (unique dedupe keys, ordered thread ids). */
class MemoryPlanStore implements PlanStore {
  readonly outbound: OutboundMail[] = [];
  readonly log: Array<{ tenantId: string; recipient: string; ticketId: string; at: Date }> = [];
  readonly threads = new Map<string, { mailboxId: string | null; messageIds: string[] }>();
  async lockRecipient(): Promise<void> {}
  async autoRepliesTo(tenantId: string, recipient: string, since: Date): Promise<number> {
    return this.log.filter((l) => l.tenantId === tenantId && l.recipient === recipient && l.at >= since)
      .length;
  }
  async ticketAutoRepliedSince(tenantId: string, ticketId: string, since: Date): Promise<boolean> {
    return this.log.some((l) => l.tenantId === tenantId && l.ticketId === ticketId && l.at >= since);
  }
  async logAutoReply(entry: {
    tenantId: string;
    recipient: string;
    ticketId: string;
    at: Date;
  }): Promise<void> {
    this.log.push(entry);
  }
  async insertOutbound(mail: OutboundMail): Promise<boolean> {
    if (this.outbound.some((o) => o.dedupeKey === mail.dedupeKey)) return false;
    this.outbound.push(mail);
    return true;
  }
  async thread(ticketId: string) {
    return this.threads.get(ticketId) ?? null;
  }
  async recordThread(entry: {
    ticketId: string;
    mailboxId: string | null;
    messageId: string | null;
  }): Promise<void> {
    const t = this.threads.get(entry.ticketId) ?? { mailboxId: entry.mailboxId, messageIds: [] };
    if (entry.messageId && !t.messageIds.includes(entry.messageId)) t.messageIds.push(entry.messageId);
    this.threads.set(entry.ticketId, t);
  }
  sent() {
    return this.outbound.filter((o) => o.status === 'pending');
  }
}

const tenantId = randomUUID();
let now = new Date('2026-11-30T10:00:00Z');
const plan = new PlanMailUseCase({
  clock: { now: () => now },
  ids: { newId: () => randomUUID() },
  maxAutoRepliesPerHour: 3,
});

function received(over: Partial<MailReceived> = {}): MailReceived {
  return {
    eventId: randomUUID(),
    tenantId,
    inboundId: randomUUID(),
    mailboxId: randomUUID(),
    ticketId: randomUUID(),
    ticketNumber: 1042,
    ticketTitle: 'Printer offline',
    outcome: 'created',
    from: 'dana@client.example',
    subject: 'Printer offline',
    messageId: `${randomUUID()}@client.example`,
    references: [],
    automaticReason: '',
    oversize: [],
    traceparent: null,
    ...over,
  };
}

describe('automatic replies under the loop rules (SPEC §3)', () => {
  beforeEach(() => {
    now = new Date('2026-11-30T10:00:00Z');
  });

  it('answers a new e-mail ticket once, with the token in the subject, threaded to the mail', async () => {
    const store = new MemoryPlanStore();
    const event = received();
    expect(await plan.mailReceived(store, event)).toEqual({ queued: true, reason: null });
    expect(await plan.mailReceived(store, event)).toMatchObject({ queued: false });
    expect(store.sent()).toHaveLength(1);
    const reply = store.sent()[0]!;
    expect(ticketNumbersIn(reply.subject)).toEqual([1042]);
    expect(reply).toMatchObject({
      kind: 'auto_reply',
      automatic: true,
      to: ['dana@client.example'],
      inReplyTo: event.messageId,
    });
  });

  it('sends a sender at most 3 automatic replies in an hour, however many tickets they open', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 30 * 60_000 }), { minLength: 1, maxLength: 12 }),
        async (gaps) => {
          const store = new MemoryPlanStore();
          const start = new Date('2026-11-30T10:00:00Z').getTime();
          let at = start;
          const times: number[] = [];
          for (const gap of gaps) {
            at += gap;
            now = new Date(at);
            const { queued } = await plan.mailReceived(store, received());
            if (queued) times.push(at);
          }
          // never more than 3 in any hour
          for (const t of times)
            expect(times.filter((u) => u >= t && u < t + 3_600_000).length).toBeLessThanOrEqual(3);
          // and the first three always go
          expect(times.length).toBeGreaterThanOrEqual(Math.min(3, gaps.length));
        },
      ),
    );
  });

  it('sends one automatic mail per ticket per day', async () => {
    const store = new MemoryPlanStore();
    const ticketId = randomUUID();
    expect((await plan.mailReceived(store, received({ ticketId }))).queued).toBe(true);
    const appended = await plan.mailReceived(
      store,
      received({ ticketId, outcome: 'appended', oversize: [{ filename: 'a.zip', size: 3e7 }] }),
    );
    expect(appended).toEqual({ queued: false, reason: 'rate_limit_ticket' });
    now = new Date(now.getTime() + 25 * 3_600_000);
    expect(
      (
        await plan.mailReceived(
          store,
          received({ ticketId, outcome: 'appended', oversize: [{ filename: 'a.zip', size: 3e7 }] }),
        )
      ).queued,
    ).toBe(true);
  });

  it('never answers automatic mail, and says why', async () => {
    const store = new MemoryPlanStore();
    expect(await plan.mailReceived(store, received({ automaticReason: 'auto_submitted' }))).toEqual({
      queued: false,
      reason: 'auto_submitted',
    });
    expect(store.outbound[0]).toMatchObject({ status: 'suppressed', reason: 'auto_submitted' });
    expect(store.log).toEqual([]);
  });

  it('sends nothing for a plain reply on an existing ticket', async () => {
    const store = new MemoryPlanStore();
    expect(await plan.mailReceived(store, received({ outcome: 'appended' }))).toEqual({
      queued: false,
      reason: null,
    });
    expect(store.outbound).toEqual([]);
  });

  it('mails a public reply to requester and cc, In-Reply-To the newest mail of the thread', async () => {
    const store = new MemoryPlanStore();
    const event = received();
    await plan.mailReceived(store, event);
    await plan.threadMessage(store, {
      tenantId,
      ticketId: event.ticketId,
      mailboxId: null,
      messageId: 'hd.ours@msp.example',
    });
    const result = await plan.publicReply(store, {
      eventId: randomUUID(),
      tenantId,
      ticketId: event.ticketId,
      ticketNumber: 1042,
      ticketTitle: 'Printer offline',
      messageId: randomUUID(),
      requester: 'Dana@Client.example',
      cc: ['boss@client.example', 'dana@client.example'],
      bodyText: 'Fixed it.',
      bodyHtml: '<p>Fixed it.</p>',
      attachments: [
        { id: randomUUID(), filename: 'log.txt', contentType: 'text/plain', size: 12, contentId: '' },
      ],
      traceparent: null,
    });
    expect(result.queued).toBe(true);
    const reply = store.outbound.find((o) => o.kind === 'public_reply')!;
    expect(reply).toMatchObject({
      to: ['dana@client.example'],
      cc: ['boss@client.example'],
      automatic: false,
      inReplyTo: 'hd.ours@msp.example',
      references: [event.messageId, 'hd.ours@msp.example'],
      mailboxId: event.mailboxId,
      attachments: [expect.objectContaining({ filename: 'log.txt', contentType: 'text/plain' })],
    });
    expect(ticketNumbersIn(reply.subject)).toEqual([1042]);
  });
  it("mails a rule's e-mail once to the requester only, with the rule's subject and marked automatic", async () => {
    const store = new MemoryPlanStore();
    const ticketId = randomUUID();
    const reply = {
      eventId: randomUUID(),
      tenantId,
      ticketId,
      ticketNumber: 1043,
      ticketTitle: 'VPN down',
      messageId: randomUUID(),
      requester: 'dana@client.example',
      cc: ['boss@client.example'],
      bodyText: 'Hello Dana, we are waiting for your reply.',
      bodyHtml: '',
      attachments: [],
      traceparent: null,
      rule: { subject: 'We are waiting for your reply: [#1043] VPN down' },
    };
    expect((await plan.publicReply(store, reply)).queued).toBe(true);
    // the same message again (a redelivery under a new event id) plans nothing more
    expect((await plan.publicReply(store, { ...reply, eventId: randomUUID() })).queued).toBe(false);
    expect(store.outbound).toHaveLength(1);
    expect(store.outbound[0]).toMatchObject({
      kind: 'public_reply',
      to: ['dana@client.example'],
      cc: [],
      automatic: true,
      mailboxId: null,
      subject: 'We are waiting for your reply: [#1043] VPN down',
      bodyText: 'Hello Dana, we are waiting for your reply.',
      status: 'pending',
    });
    // a subject without the token gets it, so that the customer's answer threads
    await plan.publicReply(store, { ...reply, messageId: randomUUID(), rule: { subject: 'Still there?' } });
    expect(store.outbound[1]!.subject).toBe('[#1043] Still there?');
  });
});
