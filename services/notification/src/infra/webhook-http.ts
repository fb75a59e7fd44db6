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
import type { WebhookSender, WebhookUrlGuard } from '../app/webhook.ports';

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

  async post(url: string, headers: Record<string, string>, body: string) {
    const started = performance.now();
    const result = await postGuarded(this.agents, {
      url,
      headers: { 'user-agent': 'Helpdesk-Webhooks/1', ...headers },
      body,
      timeoutMs: this.options.timeoutMs,
      maxResponseBytes: this.options.maxResponseBytes,
    });
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
