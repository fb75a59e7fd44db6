import { SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import type { MailPipeline } from '../app/mail-pipeline';
import type { InboundMail } from '../domain/inbound-mail';

const tracer = trace.getTracer('mail-ingest');

/**
 * Runs `fn` in a span. `root`: a trace of its own (one per mail read from a folder, one per retry), never the trace
 * of whatever started the loop it runs in; else a child of the active span (a pushed mail: the gRPC call's).
 */
export function inMailSpan<T>(
  name: string,
  options: { root: boolean; kind?: SpanKind; attributes: Attributes },
  fn: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(
    name,
    { root: options.root, kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
    async (span) => {
      try {
        return await fn();
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message ?? String(err) });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * `pipeline.process()` in a `mail pipeline` span: a child of the fetch or the gRPC call that took the mail, or
 * (`root`, the retry worker) a trace of its own. The ticket change's gRPC calls and the `helpdesk.mail.received`
 * event (its traceparent) are inside it, so the ticket service's and the notification service's spans follow.
 */
export function processInSpan(
  pipeline: Pick<MailPipeline, 'process'>,
  id: string,
  options: { force?: boolean; raw?: Buffer } = {},
  root = false,
): Promise<InboundMail> {
  return inMailSpan('mail pipeline', { root, attributes: { 'helpdesk.inbound.id': id } }, async () => {
    const mail = await pipeline.process(id, options);
    trace.getActiveSpan()?.setAttributes({
      'tenant.id': mail.tenantId,
      'helpdesk.mail.status': mail.status,
      ...(mail.outcome ? { 'helpdesk.mail.outcome': mail.outcome } : {}),
    });
    return mail;
  });
}
