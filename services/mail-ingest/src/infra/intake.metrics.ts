// Mail intake metrics per mailbox id (never its address or name): received, ticketed, quarantined, poll errors,
// intake delay, and per IMAP mailbox the age of its last successful sync for the "intake stalled" alert.
import type { BatchObservableCallback } from '@opentelemetry/api';
import type { PgPool } from '@helpdesk/bus';
import { DURATION_BUCKETS_S, lazyInstruments } from '@helpdesk/telemetry';

const MAILBOX = 'helpdesk.mailbox.id';

const instruments = lazyInstruments('mail-ingest', (meter) => ({
  meter,
  received: meter.createCounter('helpdesk.mail.received', {
    description: 'Mails taken into intake (stored), per mailbox and source (imap, push); copies not counted',
    unit: '{mail}',
  }),
  ticketed: meter.createCounter('helpdesk.mail.ticketed', {
    description: 'Mails that opened a ticket or joined one',
    unit: '{mail}',
  }),
  quarantined: meter.createCounter('helpdesk.mail.quarantined', {
    description: 'Mails put in quarantine after their last failed attempt',
    unit: '{mail}',
  }),
  pollErrors: meter.createCounter('helpdesk.mail.poll_errors', {
    description: 'IMAP sessions of a mailbox that failed (connection, login, folder)',
    unit: '{error}',
  }),
  intakeDelay: meter.createHistogram('helpdesk.mail.intake.delay', {
    description: 'From a mail being taken to its ticket change committed',
    unit: 's',
    advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_S, 30, 60, 300, 900] },
  }),
  syncAge: meter.createObservableGauge('helpdesk.mailbox.last_sync_age', {
    description: 'Seconds since the last IMAP sync round of the mailbox (successful or not)',
    unit: 's',
  }),
  syncFailing: meter.createObservableGauge('helpdesk.mailbox.sync_failing', {
    description: '1 while the last IMAP sync of the mailbox failed, else 0',
    unit: '1',
  }),
}));

/** What the repositories record as mail moves through intake. */
export const intakeMetrics = {
  received: (mailboxId: string, source: string) =>
    instruments().received.add(1, { [MAILBOX]: mailboxId, source }),
  ticketed: (mailboxId: string, receivedAt: Date, at: Date) => {
    const { ticketed, intakeDelay } = instruments();
    ticketed.add(1, { [MAILBOX]: mailboxId });
    intakeDelay.record(Math.max(0, (at.getTime() - receivedAt.getTime()) / 1000), { [MAILBOX]: mailboxId });
  },
  quarantined: (mailboxId: string) => instruments().quarantined.add(1, { [MAILBOX]: mailboxId }),
  pollError: (mailboxId: string) => instruments().pollErrors.add(1, { [MAILBOX]: mailboxId }),
};

/** Observes every IMAP mailbox's sync state: one query over `mailboxes` per scrape. Returns the stop function. */
export function observeMailboxes(pool: PgPool): () => void {
  const { meter, syncAge, syncFailing } = instruments();
  const callback: BatchObservableCallback = async (result) => {
    const { rows } = await pool.query<{ id: string; age: number | null; failing: boolean }>(
      `SELECT id::text, extract(epoch FROM now() - last_sync_at)::float8 AS age, last_sync_error IS NOT NULL AS failing
         FROM mailboxes WHERE deleted_at IS NULL AND imap_host IS NOT NULL`,
    );
    for (const row of rows) {
      const attributes = { [MAILBOX]: row.id };
      // never synced yet: no age, so a new mailbox does not look stalled before its first round
      if (row.age !== null) result.observe(syncAge, Math.max(0, row.age), attributes);
      result.observe(syncFailing, row.failing ? 1 : 0, attributes);
    }
  };
  meter.addBatchObservableCallback(callback, [syncAge, syncFailing]);
  return () => meter.removeBatchObservableCallback(callback, [syncAge, syncFailing]);
}
