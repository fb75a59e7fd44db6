import type { Bus } from './connection';
import { parseEnvelope, type EventEnvelope } from './envelope';
import { errorFields, type BusLogger } from './logger';
import { prefixSubject, subjectMatches } from './subjects';

const PULL_BATCH = 256;
const IDLE_CHECK_MS = 2_000;

export interface ReadStreamOptions {
  bus: Bus;
  /** The domain whose stream is read, e.g. `ticket`. */
  domain: string;
  /** Unprefixed subject filters inside the domain (matched here); every subject when absent. */
  subjects?: readonly string[];
  /** Called with each valid envelope of a matching subject, in stream order; a rejection stops the read. */
  handle(envelope: EventEnvelope, position: { sequence: number; subject: string }): Promise<void>;
  logger: BusLogger;
}

export interface ReadStreamResult {
  /** Envelopes handed to `handle`. */
  read: number;
  /** Messages of matching subjects that were no valid envelope (skipped, logged). */
  invalid: number;
  /** The stream's first and last sequence when the read started (0 for an empty stream). */
  firstSequence: number;
  lastSequence: number;
}

/**
 * Reads a domain's stream from its first message to the last one it held when the read started, through an
 * ordered consumer: nothing is acknowledged and no durable is created or moved, so it runs beside the live
 * consumers (a rebuild of a read model). What the stream no longer holds (past its retention) is not read; a lost
 * stream is refilled from the producers' outboxes first (`cli.ts replay`).
 */
export async function readStream(options: ReadStreamOptions): Promise<ReadStreamResult> {
  const { bus, domain, logger } = options;
  await bus.ensureStream(domain);
  const stream = bus.streamName(domain);
  const { state } = await bus.jsm.streams.info(stream);
  const result: ReadStreamResult = {
    read: 0,
    invalid: 0,
    firstSequence: state.messages > 0 ? state.first_seq : 0,
    lastSequence: state.messages > 0 ? state.last_seq : 0,
  };
  if (state.messages === 0) return result;
  const filters = options.subjects?.map((s) => prefixSubject(s, bus.prefix));
  // an ordered consumer starts at the stream's first message
  const consumer = await bus.js.consumers.get(stream);
  // one continuous ordered pull: it re-creates its server-side consumer from the last sequence it delivered
  // whenever a delivery goes missing, so nothing is skipped or read twice (separate fetches can skip under load)
  const messages = await consumer.consume({ max_messages: PULL_BATCH });
  let lastActivity = Date.now();
  // the last message may have been deleted meanwhile: stop once nothing is pending and nothing came for a while
  const idle = setInterval(() => {
    if (Date.now() - lastActivity < IDLE_CHECK_MS) return;
    consumer.info(false).then(
      (info) => {
        if (info.num_pending === 0 && Date.now() - lastActivity >= IDLE_CHECK_MS) messages.stop();
      },
      (err: unknown) => logger.debug(errorFields(err), 'ordered consumer info failed'),
    );
  }, IDLE_CHECK_MS);
  try {
    for await (const msg of messages) {
      if (
        msg.seq <= result.lastSequence &&
        (!filters || filters.some((f) => subjectMatches(f, msg.subject)))
      ) {
        const parsed = parseEnvelope(msg.data);
        if (parsed.ok) {
          await options.handle(parsed.envelope, { sequence: msg.seq, subject: msg.subject });
          result.read++;
        } else {
          result.invalid++;
          logger.warn({ stream, sequence: msg.seq, reason: parsed.error }, 'invalid event skipped');
        }
      }
      lastActivity = Date.now();
      if (msg.seq >= result.lastSequence) break;
    }
  } finally {
    clearInterval(idle);
    messages.stop();
    await consumer
      .delete()
      .catch((err: unknown) => logger.debug(errorFields(err), 'ordered consumer already gone'));
  }
  return result;
}
