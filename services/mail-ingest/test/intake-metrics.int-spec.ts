// Mail intake metrics on the health port's /metrics, per mailbox id: a pushed mail counted as received, then as
// quarantined once its attempts are spent (the gRPC server it calls has no ticket service: UNIMPLEMENTED, not an
// outage); an IMAP mailbox whose server refuses connections counted in poll errors and shown as failing.
import { randomUUID } from 'node:crypto';
import { commonV1, type mailV1 } from '@helpdesk/contracts';
import { startGrpcServer, type RunningGrpcServer } from '@helpdesk/grpc';
import { createLogger } from '@helpdesk/platform';
import { startTelemetry, type Telemetry } from '@helpdesk/telemetry';
import { freePort, promSample, scrapeMetrics, waitFor } from '@helpdesk/testing';
import { startMailIngest, type MailIngestHarness, type SharedState } from './support';

const admin: commonV1.Actor = { type: commonV1.ActorType.ACTOR_TYPE_USER, id: randomUUID() };

describe('mail-ingest: intake metrics', () => {
  let telemetry: Telemetry;
  let h: MailIngestHarness & { shared: SharedState };
  let noTickets: RunningGrpcServer;
  const tenantId = randomUUID();

  beforeAll(async () => {
    telemetry = startTelemetry({ serviceName: 'mail-ingest' });
    noTickets = await startGrpcServer({
      port: 0,
      host: '127.0.0.1',
      services: [],
      logger: createLogger('no-tickets', 'silent'),
    });
    h = await startMailIngest({
      TICKET_GRPC_URL: `127.0.0.1:${noTickets.port}`,
      MAIL_MAX_ATTEMPTS: '2',
      MAIL_RETRY_BASE_MS: '50',
    });
  });

  afterAll(async () => {
    await h?.stop();
    await noTickets?.shutdown();
    await telemetry?.shutdown();
  });

  const request = (name: string, imapPort?: number): mailV1.CreateMailboxRequest => ({
    tenantId,
    actor: admin,
    name,
    address: `${name.toLowerCase()}@msp.test`,
    imap: imapPort
      ? {
          host: '127.0.0.1',
          port: imapPort,
          tls: 'none',
          user: 'nobody',
          password: 'nothing',
          accessToken: '',
          folder: '',
          processedFolder: '',
          auth: '',
        }
      : undefined,
    smtp: { host: '127.0.0.1', port: 2525, tls: 'none', user: '', password: '' },
    pollIntervalSeconds: 0,
  });

  it('counts a pushed mail as received and, its attempts spent, as quarantined', async () => {
    const { mailbox, intakeToken } = await h.client.createMailbox(request('Push'));
    const labels = { helpdesk_mailbox_id: mailbox!.id };
    const raw = Buffer.from(
      'From: dana@client.example\r\nSubject: metrics\r\nMessage-ID: <metrics-1@client.example>\r\n\r\nhello\r\n',
    );
    const pushed = await h.push(mailbox!.id, intakeToken, raw);
    const text = await waitFor('the mail in quarantine', async () => {
      const t = await scrapeMetrics(h.service.healthPort);
      return promSample(t, 'helpdesk_mail_quarantined_total', labels) === 1 ? t : undefined;
    });
    expect(promSample(text, 'helpdesk_mail_received_total', { ...labels, source: 'push' })).toBe(1);
    expect(promSample(text, 'helpdesk_mail_ticketed_total', labels)).toBeUndefined();
    // the upload (client stream) and a download (server stream) are timed like any RPC
    expect((await h.raw(tenantId, pushed.mail!.id)).equals(raw)).toBe(true);
    await h.raw(randomUUID(), pushed.mail!.id).catch(() => undefined);
    let scraped = '';
    const rpc = (method: string, code: string) =>
      promSample(scraped, 'rpc_server_duration_count', { rpc_method: method, rpc_grpc_status_code: code });
    await waitFor('the streams timed', async () => {
      scraped = await scrapeMetrics(h.service.healthPort);
      return rpc('StreamRawMail', '5') === 1;
    });
    expect(rpc('PushRawMail', '0')).toBe(1);
    expect(rpc('StreamRawMail', '0')).toBe(1);
    // the mailbox is named by id only: neither its address nor the sender's appear
    expect(text).not.toContain('msp.test');
    expect(text).not.toContain('dana@');
  });

  it('counts failed IMAP sessions per mailbox and shows it failing, with the age of its last sync', async () => {
    // nothing listens there
    const { mailbox } = await h.client.createMailbox(request('Imap', await freePort()));
    const labels = { helpdesk_mailbox_id: mailbox!.id };
    const text = await waitFor(
      'the failed poll',
      async () => {
        const t = await scrapeMetrics(h.service.healthPort);
        return (promSample(t, 'helpdesk_mail_poll_errors_total', labels) ?? 0) >= 1 &&
          promSample(t, 'helpdesk_mailbox_sync_failing', labels) === 1
          ? t
          : undefined;
      },
      30_000,
    );
    expect(promSample(text, 'helpdesk_mailbox_last_sync_age', labels)).toBeGreaterThanOrEqual(0);
  }, 40_000);
});
