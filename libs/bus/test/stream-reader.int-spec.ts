import { connectBus, createEnvelope, readStream, type Bus, type EventEnvelope } from '../src';
import { NATS_URL, delay, deletePrefixedStreams, testLogger, uniqueSuffix } from './support/harness';

const tenantId = '7c3e2a1b-4d5f-4e6a-8b9c-0d1e2f3a4b5c';

describe('readStream', () => {
  const prefix = `busread${uniqueSuffix()}`;
  let bus: Bus;

  beforeAll(async () => {
    bus = await connectBus({ servers: NATS_URL, prefix, name: 'bus-read-test', logger: testLogger });
    await bus.ensureStream('ticket');
  });

  afterAll(async () => {
    await bus.close();
    await deletePrefixedStreams(prefix);
  });

  const publish = async (type: string, n: number) => {
    const envelope = createEnvelope({ type, tenantId, data: { n } });
    await bus.js.publish(bus.subject(type), JSON.stringify(envelope), { msgID: envelope.id });
    return envelope;
  };

  it('reads a stream from its first message to the last one it held, in order, moving no durable', async () => {
    const sent: EventEnvelope[] = [];
    for (let n = 0; n < 300; n++) {
      sent.push(await publish(n % 3 === 0 ? 'helpdesk.ticket.created' : 'helpdesk.ticket.updated', n));
    }
    await bus.js.publish(bus.subject('helpdesk.ticket.updated'), 'not json');
    await publish('helpdesk.ticket.updated', 300);

    const seen: Array<{ id: string; sequence: number }> = [];
    const all = await readStream({
      bus,
      domain: 'ticket',
      logger: testLogger,
      handle: async (envelope, position) => {
        seen.push({ id: envelope.id, sequence: position.sequence });
        // a handler slower than the pull: nothing may be skipped meanwhile
        if (seen.length % 10 === 0) await delay(20);
        // published while reading: after the last message at the start, so not read
        if (seen.length === 1) await publish('helpdesk.ticket.updated', 999);
      },
    });
    expect(all).toEqual({ read: 301, invalid: 1, firstSequence: 1, lastSequence: 302 });
    expect(seen.map((s) => s.id)).toEqual([...sent.map((e) => e.id), expect.any(String)]);
    expect(seen.map((s) => s.sequence)).toEqual([...seen.map((s) => s.sequence)].sort((a, b) => a - b));

    const created = await readStream({
      bus,
      domain: 'ticket',
      subjects: ['helpdesk.ticket.created'],
      logger: testLogger,
      handle: async () => undefined,
    });
    expect(created).toMatchObject({ read: 100, invalid: 0, lastSequence: 303 });
    expect((await bus.jsm.consumers.list(bus.streamName('ticket')).next()).length).toBe(0);
  });

  it('ends when the last message it was to read was deleted meanwhile', async () => {
    await bus.ensureStream('mail');
    await publish('helpdesk.mail.received', 1);
    const last = await publish('helpdesk.mail.received', 2);
    const info = await bus.jsm.streams.info(bus.streamName('mail'));
    await bus.jsm.streams.deleteMessage(bus.streamName('mail'), info.state.last_seq);
    const ids: string[] = [];
    const read = await readStream({
      bus,
      domain: 'mail',
      logger: testLogger,
      handle: async (envelope) => {
        ids.push(envelope.id);
      },
    });
    expect(read.read).toBe(1);
    expect(ids).not.toContain(last.id);
  });

  it('answers at once for an empty stream, and stops when the handler fails', async () => {
    await bus.ensureStream('sla');
    const empty = await readStream({ bus, domain: 'sla', logger: testLogger, handle: async () => undefined });
    expect(empty).toEqual({ read: 0, invalid: 0, firstSequence: 0, lastSequence: 0 });
    await expect(
      readStream({
        bus,
        domain: 'ticket',
        logger: testLogger,
        handle: async () => {
          throw new Error('no');
        },
      }),
    ).rejects.toThrow('no');
  });
});
