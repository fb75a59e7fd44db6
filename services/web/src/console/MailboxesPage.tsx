// Admin page for the tenant's mailboxes (SPEC §3, README "Mailboxes on Microsoft 365 and Google Workspace"): the
// accounts with their state (last sync, its error, an OAuth2 sign-in to redo), the connection test step by step, the
// OAuth2 sign-in with Microsoft 365 or Google, a new intake token, and a form for a new mailbox (IMAP or push only).
// Passwords and tokens are typed once and sent; the API never answers them, so the page never shows them.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { unwrap, type Schemas } from '../api/client';
import { EMPTY_MAILBOX, mailboxRequest, mailboxState, type MailboxForm, type Tls } from '../lib/admin';
import { formatTime } from '../lib/time';
import { ErrorBox, Loading, SecretOnce } from '../shared/ui';
import { api } from './state';

type Mailbox = Schemas['Mailbox'];
const TLS = { tls: 'TLS', starttls: 'STARTTLS', none: 'None' } as const;
const PROVIDERS = { microsoft: 'Microsoft 365', google: 'Google' } as const;
type Provider = keyof typeof PROVIDERS;

/** The token and the address an MTA or a provider's inbound webhook posts raw mail to. */
interface Intake {
  mailboxId: string;
  token: string;
}

function IntakeNotice({ intake, onDone }: { intake: Intake; onDone: () => void }) {
  return (
    <>
      <p>
        Push intake: <code>POST {`${location.origin}/api/v1/inbound/mail/${intake.mailboxId}`}</code> with{' '}
        <code>Content-Type: message/rfc822</code> and the token below as <code>Authorization: Bearer</code>.
      </p>
      <SecretOnce what="Intake token" where="in the mail server" secret={intake.token} onDone={onDone} />
    </>
  );
}

function TestResult({ result }: { result: Schemas['MailboxTestResult'] }) {
  const steps = [
    ['token', 'OAuth2 token', result.token],
    ['imap_login', 'IMAP login', result.imapLogin],
    ['imap_folder', 'IMAP folder', result.imapFolder],
    ['smtp_login', 'SMTP login', result.smtp],
  ] as const;
  const failed = steps.find(([id]) => id === result.failedStep)?.[1];
  return (
    <div role="status" aria-label="Connection test">
      <strong>
        {result.ok ? 'Connection test passed' : `Connection test failed at ${failed ?? 'a step'}`}
      </strong>
      <ul className="steps">
        {steps.map(([id, name, step]) => (
          <li key={id} className={step.skipped ? 'muted' : step.ok ? 'ok' : 'failed'}>
            {name}:{' '}
            {step.skipped ? 'skipped' : step.ok ? 'ok' : `failed (${step.error ?? 'no reason given'})`}
          </li>
        ))}
      </ul>
    </div>
  );
}

function OAuthConnect({ mailbox }: { mailbox: Mailbox }) {
  const [provider, setProvider] = useState<Provider>(
    mailbox.oauth?.provider === 'google' ? 'google' : 'microsoft',
  );
  const start = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/mailboxes/{id}/oauth/start', {
          params: { path: { id: mailbox.id } },
          body: { provider },
        }),
      ),
  });
  return (
    <div className="row">
      <label>
        Sign in with
        <select
          value={provider}
          onChange={(e) => {
            setProvider(e.target.value as Provider);
            start.reset();
          }}
        >
          {Object.entries(PROVIDERS).map(([value, name]) => (
            <option key={value} value={value}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={start.isPending} onClick={() => start.mutate()}>
        {mailbox.oauth ? 'Sign in again' : 'Connect'}
      </button>
      {start.data && (
        // a link the admin follows (a window opened after an API call would be blocked as a pop-up); the provider
        // sends the browser back to /api/v1/oauth/callback, which says whether it worked
        <a href={start.data.authorizationUrl} target="_blank" rel="noopener noreferrer">
          Open the {PROVIDERS[provider]} sign-in
          {start.data.expiresAt ? ` (before ${formatTime(start.data.expiresAt)})` : ''}
        </a>
      )}
      <ErrorBox error={start.error} />
    </div>
  );
}

function MailboxRow({ mailbox: m, onIntake }: { mailbox: Mailbox; onIntake: (intake: Intake) => void }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['mailboxes'] });
  const test = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/mailboxes/{id}/test', { params: { path: { id: m.id } } })),
  });
  const rotate = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/api/v1/mailboxes/{id}', {
          params: { path: { id: m.id }, header: { 'If-Match': String(m.version) } },
          body: { rotateIntakeToken: true },
        }),
      ),
    onSuccess: (answer) => {
      if ('intakeToken' in answer && typeof answer.intakeToken === 'string')
        onIntake({ mailboxId: m.id, token: answer.intakeToken });
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/mailboxes/{id}', { params: { path: { id: m.id } } })),
    onSuccess: refresh,
  });
  const state = mailboxState(m, formatTime);
  return (
    <>
      <tr>
        <td>
          {m.name}
          <div className="muted">{m.address}</div>
        </td>
        <td>
          {m.imap ? (
            <>
              IMAP {m.imap.user}@{m.imap.host}:{m.imap.port} ({m.imap.tls}), {m.imap.folder}
              <div className="muted">
                {m.imap.auth === 'oauth2' ? 'OAuth2' : 'Password'}; SMTP {m.smtp.host}:{m.smtp.port}
              </div>
            </>
          ) : (
            <>
              Push only
              <div className="muted">
                SMTP {m.smtp.host}:{m.smtp.port}
              </div>
            </>
          )}
        </td>
        <td className={state.attention ? 'attention' : undefined}>{state.text}</td>
        <td className="actions">
          <button type="button" disabled={test.isPending} onClick={() => test.mutate()}>
            {test.isPending ? 'Testing…' : 'Test'}
          </button>
          <button type="button" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
            More
          </button>
        </td>
      </tr>
      {(open || test.data || test.error) && (
        <tr>
          <td colSpan={4} className="stack">
            <ErrorBox error={test.error} />
            {test.data && <TestResult result={test.data} />}
            {open && (
              <>
                {m.imap && <OAuthConnect mailbox={m} />}
                <div className="row">
                  <button type="button" disabled={rotate.isPending} onClick={() => rotate.mutate()}>
                    New intake token
                  </button>
                  <button type="button" disabled={remove.isPending} onClick={() => remove.mutate()}>
                    Delete {m.name}
                  </button>
                </div>
                <ErrorBox error={rotate.error ?? remove.error} />
              </>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function TlsSelect({ value, onChange }: { value: Tls; onChange: (tls: Tls) => void }) {
  return (
    <label>
      Encryption
      <select value={value} onChange={(e) => onChange(e.target.value as Tls)}>
        {Object.entries(TLS).map(([value, name]) => (
          <option key={value} value={value}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}

function NewMailbox({ onIntake }: { onIntake: (intake: Intake) => void }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<MailboxForm>(EMPTY_MAILBOX);
  const imap = (change: Partial<MailboxForm['imap']>) =>
    setForm({ ...form, imap: { ...form.imap, ...change } });
  const smtp = (change: Partial<MailboxForm['smtp']>) =>
    setForm({ ...form, smtp: { ...form.smtp, ...change } });
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/mailboxes', { body: mailboxRequest(form) })),
    onSuccess: (created) => {
      // the secrets leave the page's memory with the form
      setForm(EMPTY_MAILBOX);
      onIntake({ mailboxId: created.id, token: created.intakeToken });
      void queryClient.invalidateQueries({ queryKey: ['mailboxes'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const oauth = form.imap.auth === 'oauth2';
  return (
    <form onSubmit={submit} aria-label="New mailbox" className="stack">
      <h2>New mailbox</h2>
      <div className="row">
        <label>
          Name
          <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          Support address
          <input
            type="email"
            required
            value={form.address}
            onChange={(e) => setForm({ ...form, address: e.target.value })}
          />
        </label>
      </div>
      <fieldset>
        <legend>Intake</legend>
        <label className="inline">
          <input
            type="radio"
            name="intake"
            checked={form.intake === 'imap'}
            onChange={() => setForm({ ...form, intake: 'imap' })}
          />
          Fetch over IMAP
        </label>
        <label className="inline">
          <input
            type="radio"
            name="intake"
            checked={form.intake === 'push'}
            onChange={() => setForm({ ...form, intake: 'push' })}
          />
          Push only (a mail server posts to the intake address)
        </label>
      </fieldset>
      {form.intake === 'imap' && (
        <fieldset className="stack">
          <legend>IMAP</legend>
          <div className="row">
            <label>
              IMAP host
              <input required value={form.imap.host} onChange={(e) => imap({ host: e.target.value })} />
            </label>
            <label>
              IMAP port
              <input
                type="number"
                required
                min={1}
                max={65535}
                value={form.imap.port}
                onChange={(e) => imap({ port: e.target.value })}
              />
            </label>
            <TlsSelect value={form.imap.tls} onChange={(tls) => imap({ tls })} />
          </div>
          <div className="row">
            <label>
              IMAP user
              <input
                required
                autoComplete="off"
                value={form.imap.user}
                onChange={(e) => imap({ user: e.target.value })}
              />
            </label>
            <label>
              Sign-in
              <select
                value={form.imap.auth}
                onChange={(e) => imap({ auth: e.target.value as 'password' | 'oauth2', secret: '' })}
              >
                <option value="password">Password</option>
                <option value="oauth2">OAuth2 (Microsoft 365, Google)</option>
              </select>
            </label>
            <label>
              {oauth ? 'Access token (optional: sign in after saving)' : 'IMAP password'}
              <input
                type="password"
                autoComplete="new-password"
                required={!oauth}
                value={form.imap.secret}
                onChange={(e) => imap({ secret: e.target.value })}
              />
            </label>
          </div>
          <div className="row">
            <label>
              Folder
              <input value={form.imap.folder} onChange={(e) => imap({ folder: e.target.value })} />
            </label>
            <label>
              Move processed mail to (empty: flag it in place)
              <input
                value={form.imap.processedFolder}
                onChange={(e) => imap({ processedFolder: e.target.value })}
              />
            </label>
            <label>
              Poll every (seconds, without IDLE)
              <input
                type="number"
                min={1}
                value={form.pollIntervalSeconds}
                onChange={(e) => setForm({ ...form, pollIntervalSeconds: e.target.value })}
              />
            </label>
          </div>
        </fieldset>
      )}
      <fieldset className="stack">
        <legend>SMTP (replies)</legend>
        <div className="row">
          <label>
            SMTP host
            <input required value={form.smtp.host} onChange={(e) => smtp({ host: e.target.value })} />
          </label>
          <label>
            SMTP port
            <input
              type="number"
              required
              min={1}
              max={65535}
              value={form.smtp.port}
              onChange={(e) => smtp({ port: e.target.value })}
            />
          </label>
          <TlsSelect value={form.smtp.tls} onChange={(tls) => smtp({ tls })} />
        </div>
        <div className="row">
          <label>
            SMTP user
            <input
              autoComplete="off"
              value={form.smtp.user}
              onChange={(e) => smtp({ user: e.target.value })}
            />
          </label>
          <label>
            SMTP password {oauth && '(empty: the OAuth2 token)'}
            <input
              type="password"
              autoComplete="new-password"
              value={form.smtp.password}
              onChange={(e) => smtp({ password: e.target.value })}
            />
          </label>
        </div>
      </fieldset>
      <ErrorBox error={create.error} />
      <button type="submit" disabled={create.isPending}>
        Add mailbox
      </button>
    </form>
  );
}

export function MailboxesPage() {
  const [intake, setIntake] = useState<Intake>();
  const mailboxes = useQuery({
    queryKey: ['mailboxes'],
    queryFn: () => unwrap(api.GET('/api/v1/mailboxes', { params: { query: { limit: 200 } } })),
  });
  return (
    <section aria-labelledby="mailboxes-title">
      <h1 id="mailboxes-title">Mailboxes</h1>
      {intake && <IntakeNotice intake={intake} onDone={() => setIntake(undefined)} />}
      <ErrorBox error={mailboxes.error} />
      {mailboxes.isPending && <Loading what="mailboxes" />}
      {mailboxes.data?.items.length === 0 && <p className="muted">No mailbox yet.</p>}
      {mailboxes.data && mailboxes.data.items.length > 0 && (
        <table aria-label="Mailboxes">
          <thead>
            <tr>
              <th scope="col">Mailbox</th>
              <th scope="col">Connection</th>
              <th scope="col">State</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {mailboxes.data.items.map((m) => (
              <MailboxRow key={m.id} mailbox={m} onIntake={setIntake} />
            ))}
          </tbody>
        </table>
      )}
      <NewMailbox onIntake={setIntake} />
    </section>
  );
}
