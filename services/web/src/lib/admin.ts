// The admin pages' form logic (SPEC §3, §4, §5): what a form's fields become in the API's requests, and what a
// record's state reads as. Plain functions, tested in admin.spec.ts.
import type { Schemas } from '../api/client';

export type Tls = 'none' | 'starttls' | 'tls';

export interface MailboxForm {
  name: string;
  address: string;
  /** imap: fetched from a server; push: posted to POST /inbound/mail/:id only */
  intake: 'imap' | 'push';
  imap: {
    host: string;
    port: string;
    tls: Tls;
    user: string;
    auth: 'password' | 'oauth2';
    secret: string;
    folder: string;
    processedFolder: string;
  };
  smtp: { host: string; port: string; tls: Tls; user: string; password: string };
  pollIntervalSeconds: string;
}

export const EMPTY_MAILBOX: MailboxForm = {
  name: '',
  address: '',
  intake: 'imap',
  imap: {
    host: '',
    port: '993',
    tls: 'tls',
    user: '',
    auth: 'password',
    secret: '',
    folder: 'INBOX',
    processedFolder: '',
  },
  smtp: { host: '', port: '587', tls: 'starttls', user: '', password: '' },
  pollIntervalSeconds: '',
};

const port = (text: string) => Number.parseInt(text, 10);

/**
 * The create request of a mailbox form. A secret left empty is not sent (so an edit keeps the stored one, and an
 * OAuth2 mailbox signs in later); an OAuth2 secret typed in is an access token.
 */
export function mailboxRequest(form: MailboxForm): Schemas['CreateMailboxRequest'] {
  const i = form.imap;
  const s = form.smtp;
  const imap: Schemas['MailboxImapInput'] = {
    host: i.host.trim(),
    port: port(i.port),
    tls: i.tls,
    user: i.user.trim(),
    auth: i.auth,
    ...(i.folder.trim() ? { folder: i.folder.trim() } : {}),
    ...(i.processedFolder.trim() ? { processedFolder: i.processedFolder.trim() } : {}),
    ...(i.secret ? (i.auth === 'oauth2' ? { accessToken: i.secret } : { password: i.secret }) : {}),
  };
  return {
    name: form.name.trim(),
    address: form.address.trim(),
    ...(form.intake === 'imap' ? { imap } : {}),
    smtp: {
      host: s.host.trim(),
      port: port(s.port),
      tls: s.tls,
      ...(s.user.trim() ? { user: s.user.trim() } : {}),
      ...(s.password ? { password: s.password } : {}),
    },
    ...(form.pollIntervalSeconds.trim() ? { pollIntervalSeconds: port(form.pollIntervalSeconds) } : {}),
  };
}

export interface MailboxState {
  text: string;
  /** a state that needs an admin: a refused refresh, a failed sync */
  attention: boolean;
}

/** What a mailbox's row says of it: push only, an OAuth2 sign-in to do or redo, the last sync or its error. */
export function mailboxState(m: Schemas['Mailbox'], format: (iso: string) => string): MailboxState {
  if (m.oauth?.status === 'needs_reauthorization')
    return {
      text: `Needs a new sign-in (${m.oauth.provider}${m.oauth.reason ? `: ${m.oauth.reason}` : ''})`,
      attention: true,
    };
  if (!m.imap) return { text: 'Push intake only', attention: false };
  if (m.imap.auth === 'oauth2' && !m.oauth)
    return { text: 'Waiting for the OAuth2 sign-in', attention: true };
  if (m.sync.lastError) return { text: `Sync failed: ${m.sync.lastError}`, attention: true };
  const via = m.oauth ? `${m.oauth.provider} connected` : 'Password';
  return {
    text: m.sync.lastSyncAt ? `${via}, last sync ${format(m.sync.lastSyncAt)}` : `${via}, not synced yet`,
    attention: false,
  };
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type WeeklyHours = Record<Weekday, [string, string][]>;

/** "08:00-12:00, 13:00-18:00" as the API's ranges of one day; empty for a closed day. Throws on a bad range. */
export function parseDayHours(text: string): [string, string][] {
  const ranges: [string, string][] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$/.exec(part);
    const time = (h: string, min: string) => `${h.padStart(2, '0')}:${min}`;
    if (!m) throw new Error(`"${part}" is not a range like 08:00-18:00`);
    const [from, to] = [time(m[1]!, m[2]!), time(m[3]!, m[4]!)];
    if (to <= from && to !== '00:00') throw new Error(`"${part}" ends before it starts`);
    ranges.push([from, to]);
  }
  return ranges;
}

export function formatDayHours(ranges: readonly (readonly string[])[]): string {
  return ranges.map((r) => r.join('-')).join(', ');
}

/** The holidays of a text (one date a line or comma-separated), checked as YYYY-MM-DD. */
export function parseHolidays(text: string): string[] {
  const dates = text
    .split(/[\s,]+/)
    .map((d) => d.trim())
    .filter(Boolean);
  for (const d of dates)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)))
      throw new Error(`"${d}" is not a date like 2026-12-25`);
  return [...new Set(dates)].sort();
}

/**
 * A span of work typed by a person: "90", "1:30", "1h 30m", "1.5h", "45m" → minutes; undefined when it is none of
 * these or not a positive whole number of minutes.
 */
export function parseMinutes(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  let minutes: number | undefined;
  let m: RegExpExecArray | null;
  if (/^\d+$/.test(t)) minutes = Number(t);
  else if ((m = /^(\d+):([0-5]\d)$/.exec(t))) minutes = Number(m[1]) * 60 + Number(m[2]);
  else if ((m = /^(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$/.exec(t)) && (m[1] || m[2]))
    minutes = Math.round(Number(m[1] ?? 0) * 60) + Number(m[2] ?? 0);
  return minutes && minutes > 0 ? minutes : undefined;
}

/** 90 → "1 h 30 min", 45 → "45 min", 0 → "0 min". */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m ? `${h} h ${m} min` : `${h} h`;
}
