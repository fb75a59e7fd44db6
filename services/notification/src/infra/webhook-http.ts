// The webhook POST and the save-time URL check, both behind the SSRF guard of libs/security.
import {
  checkUrl,
  guardedHttpAgents,
  postGuarded,
  SsrfRefusedError,
  type GuardedHttpAgents,
  type LookupFunction,
  type SsrfPolicy,
} from '@helpdesk/security';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { WebhookSender, WebhookUrlGuard } from '../app/webhook.ports';

const tracer = trace.getTracer('@helpdesk/notification');

export interface WebhookHttpOptions {
  policy: SsrfPolicy;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Name resolution (tests inject one); default dns.lookup. */
  resolve?: LookupFunction;
}

export class GuardedWebhookSender implements WebhookSender {
  private readonly agents: GuardedHttpAgents;

  constructor(private readonly options: WebhookHttpOptions) {
    this.agents = guardedHttpAgents(options.policy, { resolve: options.resolve });
  }

  post(
    url: string,
    headers: Record<string, string>,
    body: string,
    { traceparent, tenantId }: { traceparent: string | null; tenantId: string },
  ) {
    // in the trace of the change that caused the event; the URL's path and query may hold a token: host only
    const parent = traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
    let host = '';
    try {
      host = new URL(url).hostname;
    } catch {
      // refused below
    }
    return tracer.startActiveSpan(
      'webhook POST',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': 'POST',
          'server.address': host,
          'webhook.id': headers['webhook-id'],
          'tenant.id': tenantId,
        },
      },
      parent,
      async (span) => {
        try {
          const answer = await this.send(url, headers, body);
          span.setAttribute('http.response.status_code', answer.statusCode);
          if (answer.error) span.setStatus({ code: SpanStatusCode.ERROR, message: answer.error });
          return answer;
        } finally {
          span.end();
        }
      },
    );
  }

  private async send(url: string, headers: Record<string, string>, body: string) {
    const started = performance.now();
    // no HTTP client span of the instrumentation, and no traceparent header to a third party
    const result = await context.with(suppressTracing(context.active()), () =>
      postGuarded(this.agents, {
        url,
        headers: { 'user-agent': 'Helpdesk-Webhooks/1', ...headers },
        body,
        timeoutMs: this.options.timeoutMs,
        maxResponseBytes: this.options.maxResponseBytes,
      }),
    );
    const durationMs = Math.round(performance.now() - started);
    let error = result.error;
    if (result.refused) error = `refused: ${error}`;
    else if (result.timedOut) error = `no answer within ${this.options.timeoutMs} ms`;
    else if (!error && result.statusCode >= 300 && result.statusCode < 400)
      error = `HTTP ${result.statusCode}: redirects are not followed`;
    else if (!error && (result.statusCode < 200 || result.statusCode >= 300)) {
      const start = result.body
        .subarray(0, 200)
        .toString('utf8')
        .replace(/[^\x20-\x7e]+/g, ' ')
        .trim();
      error = `HTTP ${result.statusCode}${start ? `: ${start}` : ''}`;
    }
    return { statusCode: result.statusCode, durationMs, error, inTime: !result.timedOut };
  }

  close(): void {
    this.agents.destroy();
  }
}

export class SsrfUrlGuard implements WebhookUrlGuard {
  constructor(
    private readonly policy: SsrfPolicy,
    private readonly resolve?: LookupFunction,
  ) {}

  async refusal(url: string): Promise<string | null> {
    try {
      await checkUrl(url, this.policy, this.resolve);
      return null;
    } catch (err) {
      if (err instanceof SsrfRefusedError) return err.message;
      throw err;
    }
  }
}
