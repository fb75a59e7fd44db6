import { mailV1 } from '@helpdesk/contracts';
import { createGrpcClient, type PromiseClient } from '@helpdesk/grpc';
import type { MailboxSettingsPort, SmtpSettings } from '../app/ports';

const CACHE_MS = 30_000;

/** mail-ingest's GetOutboundSettings, cached briefly in memory (the secret never leaves this process). */
export class GrpcMailboxSettings implements MailboxSettingsPort {
  private readonly client: PromiseClient<mailV1.MailIngestServiceClient>;
  private readonly cache = new Map<string, { at: number; settings: SmtpSettings }>();

  constructor(address: string, deadlineMs: number) {
    this.client = createGrpcClient(mailV1.MailIngestServiceClient, address, { deadlineMs });
  }

  async settings(tenantId: string, mailboxId: string | null): Promise<SmtpSettings> {
    const key = `${tenantId}:${mailboxId ?? ''}`;
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.at < CACHE_MS && !expiring(cached.settings)) return cached.settings;
    const answer = await this.client.getOutboundSettings({ tenantId, mailboxId: mailboxId ?? '' });
    const settings: SmtpSettings = { ...answer };
    this.cache.set(key, { at: Date.now(), settings });
    return settings;
  }

  close(): void {
    this.client.close();
  }
}

// an OAuth2 token is not used in its last minute: mail-ingest refreshes it when asked again
function expiring(settings: SmtpSettings): boolean {
  return (
    settings.accessTokenExpiresAt !== undefined &&
    settings.accessTokenExpiresAt.getTime() - Date.now() < 60_000
  );
}
