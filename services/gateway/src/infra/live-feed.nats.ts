// The live events' source: per gateway replica, one ordered (ephemeral, in-order) JetStream consumer per stream
// that every connected client shares, and a short-lived one per reconnecting client that replays what it missed.
// Nothing is kept in the gateway: the streams keep the history, their sequences are the event ids (ADR 32).
import { connectBus, decodeEnvelope, parseEnvelope, type Bus } from '@helpdesk/bus';
import { isEventType } from '@helpdesk/contracts';
import type { Logger } from '@helpdesk/platform';
import { DeliverPolicy, type ConsumerMessages, type JsMsg } from 'nats';
import { liveEventOf, type LiveEvent, type LiveStream, type StreamPosition } from '../app/live-events';

/** The streams the live events come from; read whole (unfiltered), so that every sequence passes in order. */
const SOURCES: ReadonlyArray<{ domain: LiveStream }> = [{ domain: 'ticket' }, { domain: 'notify' }];

export interface LiveFeedOptions {
  natsUrl: string;
  busPrefix?: string | undefined;
  logger: Logger;
  /** Called with every message of both streams, in each stream's order. */
  onEvent(event: LiveEvent): void;
}

export interface LiveFeed {
  /** Whether both live consumers are attached (the stream answers 503 until then). */
  readonly ready: boolean;
  /** The last sequence the live consumers passed, per stream. */
  position(): StreamPosition;
  /**
   * The events of `stream` after `afterSeq` up to its last message now, oldest first; starts no earlier than
   * `windowMs` ago (an older position gets the window only).
   */
  replay(stream: LiveStream, afterSeq: number, windowMs: number): AsyncGenerator<LiveEvent>;
  close(): Promise<void>;
}

function decode(stream: LiveStream, msg: Pick<JsMsg, 'data' | 'seq'>): LiveEvent {
  const parsed = parseEnvelope(msg.data);
  if (!parsed.ok) return { stream, seq: msg.seq, tenantId: '', type: 'none' };
  const envelope = parsed.envelope;
  // an event type of a newer producer: passed over, its sequence still counts
  if (!isEventType(envelope.type)) return { stream, seq: msg.seq, tenantId: envelope.tenantId, type: 'none' };
  try {
    return liveEventOf(stream, msg.seq, envelope.tenantId, decodeEnvelope(envelope));
  } catch {
    return { stream, seq: msg.seq, tenantId: envelope.tenantId, type: 'none' };
  }
}

/** Connects in the background (the gateway starts without NATS) and keeps both live consumers attached. */
export function startLiveFeed(options: LiveFeedOptions): LiveFeed {
  const { logger } = options;
  let bus: Bus | undefined;
  let closed = false;
  const position: StreamPosition = { ticket: 0, notify: 0 };
  const attached: Record<LiveStream, boolean> = { ticket: false, notify: false };
  const iterators = new Set<ConsumerMessages>();
  const loops: Promise<void>[] = [];

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

  async function follow(source: (typeof SOURCES)[number], b: Bus): Promise<void> {
    const stream = b.streamName(source.domain);
    let attempt = 0;
    let started = false;
    while (!closed) {
      try {
        // the owners declare the streams too; declaring here lets the gateway start first
        await b.ensureStream(source.domain);
        if (!started) {
          position[source.domain] = (await b.jsm.streams.info(stream)).state.last_seq;
          started = true;
        }
        const consumer = await b.js.consumers.get(stream, {
          deliver_policy: DeliverPolicy.StartSequence,
          opt_start_seq: position[source.domain] + 1,
        });
        const messages = await consumer.consume({ max_messages: 256 });
        iterators.add(messages);
        attached[source.domain] = true;
        attempt = 0;
        logger.info({ stream }, 'live events attached');
        for await (const msg of messages) {
          position[source.domain] = msg.seq;
          options.onEvent(decode(source.domain, msg));
        }
        iterators.delete(messages);
      } catch (err) {
        if (closed) break;
        logger.warn({ err, stream }, 'live events detached; re-attaching');
      }
      attached[source.domain] = false;
      if (!closed) await sleep(Math.min(250 * 2 ** attempt++, 5_000));
    }
  }

  const connecting = (async () => {
    for (let attempt = 0; !closed; attempt++) {
      try {
        bus = await connectBus({
          servers: options.natsUrl,
          prefix: options.busPrefix,
          name: 'gateway-live-events',
          logger,
        });
        if (closed) await bus.close();
        else for (const source of SOURCES) loops.push(follow(source, bus));
        return;
      } catch (err) {
        logger.warn({ err }, 'live events: NATS not reachable; retrying');
        await sleep(Math.min(500 * 2 ** attempt, 5_000));
      }
    }
  })();

  return {
    get ready() {
      return attached.ticket && attached.notify;
    },
    position: () => ({ ...position }),
    async *replay(streamKey, afterSeq, windowMs) {
      const b = bus;
      if (!b) return;
      const stream = b.streamName(streamKey);
      const last = (await b.jsm.streams.info(stream)).state.last_seq;
      if (last <= afterSeq) return;
      const since = Date.now() - windowMs;
      // from the next message when it is inside the window, else from the window's start
      let start: { deliver_policy: DeliverPolicy; opt_start_seq?: number; opt_start_time?: string } = {
        deliver_policy: DeliverPolicy.StartTime,
        opt_start_time: new Date(since).toISOString(),
      };
      const timeOf = async (seq: number) => {
        try {
          return (await b.jsm.streams.getMessage(stream, { seq })).time.getTime();
        } catch {
          // gone (past the retention)
          return null;
        }
      };
      const next = await timeOf(afterSeq + 1);
      if (next !== null && next >= since) {
        start = { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: afterSeq + 1 };
      } else {
        // nothing inside the window: a consumer from its start would wait for the future
        const newest = await timeOf(last);
        if (newest === null || newest < since) return;
      }
      const consumer = await b.js.consumers.get(stream, start);
      const messages = await consumer.consume({ max_messages: 256 });
      try {
        for await (const msg of messages) {
          if (msg.seq > afterSeq) yield decode(streamKey, msg);
          if (msg.seq >= last) break;
        }
      } finally {
        messages.stop();
      }
    },
    async close() {
      closed = true;
      for (const it of iterators) it.stop();
      await connecting;
      await Promise.all(loops);
      await bus?.close();
    },
  };
}
