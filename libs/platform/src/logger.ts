import { trace } from '@opentelemetry/api';
import pino from 'pino';

export type Logger = pino.Logger;

const SECRET_KEYS = ['password', 'secret', 'token', 'authorization', 'apiKey'];

/** Keys redacted at the top level and one level deep (`*.password`, …). */
export const REDACT_PATHS: string[] = [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`)];

/**
 * JSON logger with `service`, and `traceId`/`spanId` of the active OpenTelemetry span on every line.
 * `destination` is for tests (defaults to stdout).
 */
export function createLogger(
  service: string,
  level: string = 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    mixin() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const ctx = span.spanContext();
      return { traceId: ctx.traceId, spanId: ctx.spanId };
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
