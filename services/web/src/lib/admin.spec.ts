import type { Schemas } from '../api/client';
import {
  EMPTY_MAILBOX,
  formatDayHours,
  formatMinutes,
  mailboxRequest,
  mailboxState,
  parseDayHours,
  parseHolidays,
  parseMinutes,
} from './admin';

describe('a mailbox form', () => {
  const form = {
    ...EMPTY_MAILBOX,
    name: ' Support ',
    address: 'support@msp.example',
    imap: { ...EMPTY_MAILBOX.imap, host: 'imap.msp.example', user: 'support', secret: 's3cret' },
    smtp: { ...EMPTY_MAILBOX.smtp, host: 'smtp.msp.example', user: 'support', password: 'smtp pw' },
  };

  it('sends an IMAP password as the password and leaves empty fields out', () => {
    expect(mailboxRequest(form)).toEqual({
      name: 'Support',
      address: 'support@msp.example',
      imap: {
        host: 'imap.msp.example',
        port: 993,
        tls: 'tls',
        user: 'support',
        auth: 'password',
        folder: 'INBOX',
        password: 's3cret',
      },
      smtp: { host: 'smtp.msp.example', port: 587, tls: 'starttls', user: 'support', password: 'smtp pw' },
    });
  });

  it('sends an OAuth2 secret as an access token, and none when left empty (the sign-in brings it)', () => {
    const oauth = { ...form, imap: { ...form.imap, auth: 'oauth2' as const } };
    expect(mailboxRequest(oauth).imap).toMatchObject({ auth: 'oauth2', accessToken: 's3cret' });
    const later = mailboxRequest({ ...oauth, imap: { ...oauth.imap, secret: '' } }).imap!;
    expect('accessToken' in later || 'password' in later).toBe(false);
  });

  it('has no IMAP part for a push-only mailbox', () => {
    expect(mailboxRequest({ ...form, intake: 'push', pollIntervalSeconds: '30' })).toMatchObject({
      pollIntervalSeconds: 30,
    });
    expect(mailboxRequest({ ...form, intake: 'push' }).imap).toBeUndefined();
  });
});

describe('a mailbox state', () => {
  const base: Schemas['Mailbox'] = {
    id: 'm',
    name: 'Support',
    address: 'support@msp.example',
    imap: {
      host: 'h',
      port: 993,
      tls: 'tls',
      user: 'u',
      auth: 'password',
      folder: 'INBOX',
      processedFolder: null,
    },
    smtp: { host: 'h', port: 587, tls: 'starttls', user: null, hasPassword: false },
    pollIntervalSeconds: 60,
    sync: { uidValidity: 0, lastUid: 0, lastSyncAt: null, lastError: null },
    oauth: null,
    createdAt: null,
    updatedAt: null,
    version: 1,
  };
  const at = (iso: string) => `at ${iso}`;

  it('asks for attention on a refused refresh, naming the provider and its reason', () => {
    const m = {
      ...base,
      imap: { ...base.imap!, auth: 'oauth2' },
      oauth: {
        provider: 'microsoft',
        status: 'needs_reauthorization',
        reason: 'invalid_grant',
        issuer: null,
        scopes: '',
        connectedAt: null,
        accessExpiresAt: null,
        refreshedAt: null,
      },
    };
    expect(mailboxState(m, at)).toEqual({
      text: 'Needs a new sign-in (microsoft: invalid_grant)',
      attention: true,
    });
    expect(mailboxState({ ...m, oauth: { ...m.oauth, status: 'connected' } }, at).text).toBe(
      'microsoft connected, not synced yet',
    );
  });

  it('tells push-only, an OAuth2 sign-in not done yet, a failed and a good sync apart', () => {
    expect(mailboxState({ ...base, imap: null }, at).text).toBe('Push intake only');
    expect(mailboxState({ ...base, imap: { ...base.imap!, auth: 'oauth2' } }, at)).toEqual({
      text: 'Waiting for the OAuth2 sign-in',
      attention: true,
    });
    expect(mailboxState({ ...base, sync: { ...base.sync, lastError: 'ECONNREFUSED' } }, at)).toEqual({
      text: 'Sync failed: ECONNREFUSED',
      attention: true,
    });
    expect(mailboxState({ ...base, sync: { ...base.sync, lastSyncAt: 'T' } }, at).text).toBe(
      'Password, last sync at T',
    );
  });
});

describe('business hours', () => {
  it('read ranges of a day, padded, and write them back', () => {
    expect(parseDayHours('8:00-12:00, 13:00 – 18:00')).toEqual([
      ['08:00', '12:00'],
      ['13:00', '18:00'],
    ]);
    expect(parseDayHours('  ')).toEqual([]);
    expect(parseDayHours('22:00-00:00')).toEqual([['22:00', '00:00']]);
    expect(formatDayHours([['08:00', '18:00']])).toBe('08:00-18:00');
  });

  it('refuse what is not a range, or a range that ends before it starts', () => {
    expect(() => parseDayHours('nine to five')).toThrow('not a range');
    expect(() => parseDayHours('18:00-08:00')).toThrow('ends before it starts');
  });

  it('read holidays sorted and once, refusing what is not a date', () => {
    expect(parseHolidays('2026-12-26\n2026-12-25, 2026-12-25')).toEqual(['2026-12-25', '2026-12-26']);
    expect(() => parseHolidays('25.12.2026')).toThrow('not a date');
  });
});

describe('a span of work', () => {
  it('reads minutes, h:mm and hours with minutes', () => {
    expect(parseMinutes('90')).toBe(90);
    expect(parseMinutes('1:30')).toBe(90);
    expect(parseMinutes('1h 30m')).toBe(90);
    expect(parseMinutes('1.5h')).toBe(90);
    expect(parseMinutes('45 min')).toBe(45);
  });

  it('is nothing for zero or text', () => {
    expect(parseMinutes('0')).toBeUndefined();
    expect(parseMinutes('')).toBeUndefined();
    expect(parseMinutes('soon')).toBeUndefined();
    expect(parseMinutes('1:75')).toBeUndefined();
  });

  it('is written in hours and minutes', () => {
    expect(formatMinutes(90)).toBe('1 h 30 min');
    expect(formatMinutes(120)).toBe('2 h');
    expect(formatMinutes(45)).toBe('45 min');
  });
});
