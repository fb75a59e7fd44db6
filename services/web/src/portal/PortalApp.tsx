import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState, useSyncExternalStore, type FormEvent } from 'react';
import { Link, Route, Router, Switch, useLocation } from 'wouter';
import { createApi, unwrap, type Schemas } from '../api/client';
import { createSessionStore } from '../api/session';
import { useLiveEvents } from '../shared/live';
import { readyToSend } from '../lib/reply';
import { PRIORITIES } from '../lib/tickets';
import { formatTime } from '../lib/time';
import { AttachmentList, downloaded, FilePicker, fileForm, usePendingFiles } from '../shared/attachments';
import { CredentialFields, ErrorBox, LabelledOptions, Loading, MessageBody, StatusBadge } from '../shared/ui';

// The tenant's slug is the portal's address: /portal/<slug>/…
const slug = decodeURIComponent(/^\/portal\/([^/]+)/.exec(window.location.pathname)?.[1] ?? '');
const session = createSessionStore(`helpdesk.portal.${slug}.token`);
const api = createApi(session);

/** A file of one of the contact's tickets, fetched with the portal session in the Authorization header. */
const fetchPortalFileById = (id: string) =>
  downloaded(api.GET('/api/v1/portal/attachments/{id}', { params: { path: { id } }, parseAs: 'blob' }));
const fetchPortalFile = (a: Schemas['Attachment']) => fetchPortalFileById(a.id);

function useToken() {
  return useSyncExternalStore(session.subscribe, session.get);
}

export function PortalApp() {
  const token = useToken();
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!token) queryClient.clear();
  }, [token, queryClient]);
  if (!slug)
    return (
      <main className="portal narrow">
        <h1>Support portal</h1>
        <p>This address names no portal: use the link your support team gave you (/portal/&lt;name&gt;).</p>
      </main>
    );
  return (
    <Router base={`/portal/${encodeURIComponent(slug)}`}>
      <Switch>
        <Route path="/verify" component={Verify} />
        <Route>{token ? <Portal /> : <SignIn />}</Route>
      </Switch>
    </Router>
  );
}

function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [linkEmail, setLinkEmail] = useState('');
  const login = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/portal/auth/login', { body: { tenant: slug, email, password } })),
    onSuccess: (s) => session.set(s.token),
  });
  const magic = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/portal/auth/magic-link', { body: { tenant: slug, email: linkEmail } })),
  });
  return (
    <main className="portal signin">
      <h1>Support portal</h1>
      <form
        aria-label="Sign in with a password"
        onSubmit={(e) => {
          e.preventDefault();
          login.mutate();
        }}
      >
        <h2>Sign in</h2>
        <CredentialFields email={email} password={password} onEmail={setEmail} onPassword={setPassword} />
        <ErrorBox error={login.error} />
        <button type="submit" disabled={login.isPending}>
          Sign in
        </button>
      </form>
      <form
        aria-label="Sign in by e-mail link"
        onSubmit={(e) => {
          e.preventDefault();
          magic.mutate();
        }}
      >
        <h2>No password?</h2>
        <label>
          Send a sign-in link to
          <input type="email" required value={linkEmail} onChange={(e) => setLinkEmail(e.target.value)} />
        </label>
        <ErrorBox error={magic.error} />
        {magic.isSuccess && (
          <p role="status">
            If the address is known here, a sign-in link is on its way. It works once, for a while.
          </p>
        )}
        <button type="submit" disabled={magic.isPending}>
          E-mail me a link
        </button>
      </form>
    </main>
  );
}

/** The e-mailed link's page: the token leaves the address at once, and is exchanged for a session. */
function Verify() {
  const [, navigate] = useLocation();
  const [token] = useState(() => new URLSearchParams(window.location.search).get('token') ?? '');
  useEffect(() => {
    window.history.replaceState(null, '', window.location.pathname);
  }, []);
  const verify = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/portal/auth/verify', { body: { tenant: slug, token } })),
    onSuccess: (s) => {
      session.set(s.token);
      navigate('/', { replace: true });
    },
  });
  const { mutate } = verify;
  useEffect(() => {
    if (token) mutate();
  }, [token, mutate]);
  return (
    <main className="portal narrow">
      <h1>Signing in…</h1>
      {!token && <p>This link has no sign-in token.</p>}
      <ErrorBox error={verify.error} />
      {(verify.isError || !token) && <Link href="/">Sign in another way</Link>}
    </main>
  );
}

function Portal() {
  const me = useQuery({ queryKey: ['me'], queryFn: () => unwrap(api.GET('/api/v1/portal/me')) });
  // the contact's own visible tickets' public changes: an agent's reply shows without a reload
  useLiveEvents('/api/v1/portal/events', session, useToken());
  return (
    <div className="portal">
      <header className="topbar">
        <Link href="/" className="brand">
          Support
        </Link>
        <nav aria-label="Main">
          <Link href="/">My tickets</Link>
          <Link href="/new">New ticket</Link>
        </nav>
        <span className="spacer" />
        {me.data && <span className="muted">{me.data.name}</span>}
        <button type="button" className="link" onClick={() => session.clear()}>
          Sign out
        </button>
      </header>
      <main>
        <ErrorBox error={me.error} />
        <Switch>
          <Route path="/" component={Tickets} />
          <Route path="/new" component={NewTicket} />
          <Route path="/tickets/:id">{(p) => <TicketView id={p.id} />}</Route>
          <Route>
            <p>
              No such page. <Link href="/">Back to your tickets</Link>
            </p>
          </Route>
        </Switch>
      </main>
    </div>
  );
}

function Tickets() {
  const tickets = useQuery({
    queryKey: ['tickets'],
    queryFn: () => unwrap(api.GET('/api/v1/portal/tickets', { params: { query: { limit: 100 } } })),
  });
  return (
    <section aria-labelledby="tickets-title">
      <h1 id="tickets-title">Your tickets</h1>
      <ErrorBox error={tickets.error} />
      {tickets.isPending && <Loading what="your tickets" />}
      {tickets.data?.items.length === 0 && (
        <p>
          No tickets yet. <Link href="/new">Open one</Link>
        </p>
      )}
      <ul className="cards">
        {tickets.data?.items.map((t) => (
          <li key={t.id} className="card">
            <Link href={`/tickets/${t.id}`}>
              <span className="muted">#{t.number}</span> {t.title}
            </Link>
            <div>
              <StatusBadge status={t.status} />{' '}
              <span className="muted">updated {formatTime(t.updatedAt)}</span>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function NewTicket() {
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState<(typeof PRIORITIES)[number]>('medium');
  // files are stored before the ticket exists, and go with it as its first message's
  const upload = useCallback(
    (file: File) => unwrap(api.POST('/api/v1/portal/attachments', { body: fileForm(file) })),
    [],
  );
  const files = usePendingFiles(upload);
  const uploading = files.files.some((f) => f.state === 'uploading');
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/portal/tickets', {
          body: {
            title,
            description,
            priority,
            ...(files.ids.length ? { attachmentIds: files.ids } : {}),
          },
        }),
      ),
    onSuccess: (t) => {
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
      navigate(`/tickets/${t.id}`);
    },
  });
  return (
    <section aria-labelledby="new-title" className="narrow">
      <h1 id="new-title">New ticket</h1>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (!uploading) create.mutate();
        }}
      >
        <label>
          Subject
          <input required maxLength={500} value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label>
          What happened?
          <textarea rows={6} value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <label>
          Urgency
          <select value={priority} onChange={(e) => setPriority(e.target.value as typeof priority)}>
            <LabelledOptions values={PRIORITIES} />
          </select>
        </label>
        <FilePicker pending={files} />
        <ErrorBox error={create.error} />
        <button type="submit" disabled={create.isPending || uploading}>
          Send
        </button>
      </form>
    </section>
  );
}

function TicketView({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const ticket = useQuery({
    queryKey: ['ticket', id],
    queryFn: () => unwrap(api.GET('/api/v1/portal/tickets/{id}', { params: { path: { id } } })),
  });
  const messages = useQuery({
    queryKey: ['ticket', id, 'messages'],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/portal/tickets/{id}/messages', { params: { path: { id }, query: { limit: 200 } } }),
      ),
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['ticket', id] });
    void queryClient.invalidateQueries({ queryKey: ['tickets'] });
  };
  const [text, setText] = useState('');
  const upload = useCallback(
    (file: File) =>
      unwrap(
        api.POST('/api/v1/portal/tickets/{id}/attachments', {
          params: { path: { id } },
          body: fileForm(file),
        }),
      ),
    [id],
  );
  const files = usePendingFiles(upload);
  const reply = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/portal/tickets/{id}/messages', {
          params: { path: { id } },
          body: { bodyText: text, ...(files.ids.length ? { attachmentIds: files.ids } : {}) },
        }),
      ),
    onSuccess: () => {
      setText('');
      files.clear();
      refresh();
    },
  });
  const confirm = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/portal/tickets/{id}/confirm', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  if (ticket.isPending) return <Loading what="the ticket" />;
  if (ticket.error) return <ErrorBox error={ticket.error} />;
  const t = ticket.data;
  const ready = readyToSend(text, files.files) && !reply.isPending;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ready) reply.mutate();
  };
  return (
    <section aria-labelledby="ticket-title" className="narrow">
      <p>
        <Link href="/">← Your tickets</Link>
      </p>
      <h1 id="ticket-title">
        <span className="muted">#{t.number}</span> {t.title}
      </h1>
      <p>
        <StatusBadge status={t.status} /> <span className="muted">opened {formatTime(t.openedAt)}</span>
      </p>
      {t.description && (
        <article className="message description" aria-label="Your request">
          {/* an e-mail's description names its inline images by cid:, the files of its first message */}
          <MessageBody
            html={t.description}
            files={messages.data?.items.flatMap((m) => m.attachments)}
            fetchFile={fetchPortalFileById}
          />
        </article>
      )}
      <ErrorBox error={messages.error} />
      <ol className="thread" aria-label="Conversation">
        {messages.data?.items.map((m) => (
          <li key={m.id} className={`message kind-${m.kind} author-${m.author.type}`} data-kind={m.kind}>
            <header>
              <strong>{m.author.type === 'customer' ? 'You' : (m.author.name ?? 'Support')}</strong>{' '}
              <time className="muted">{formatTime(m.createdAt)}</time>
            </header>
            <MessageBody html={m.bodyHtml} files={m.attachments} fetchFile={fetchPortalFileById} />
            <AttachmentList attachments={m.attachments} fetchFile={fetchPortalFile} />
          </li>
        ))}
      </ol>
      {t.status === 'resolved' && (
        <div className="callout">
          <p>Support marked this as resolved{t.resolutionDetails ? `: ${t.resolutionDetails}` : ''}.</p>
          <button type="button" onClick={() => confirm.mutate()} disabled={confirm.isPending}>
            Yes, it is solved
          </button>{' '}
          <span className="muted">or reply below if it is not.</span>
          <ErrorBox error={confirm.error} />
        </div>
      )}
      {(t.status === 'resolved' || t.status === 'closed') && !t.rating && (
        <Rating id={id} onRated={refresh} />
      )}
      {t.rating && (
        <p className="muted">
          You rated this {t.rating.score} of 5{t.rating.comment ? `: “${t.rating.comment}”` : ''}. Thank you.
        </p>
      )}
      <form onSubmit={submit} className="stack" aria-label="Reply">
        <label>
          Your reply
          <textarea rows={4} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <FilePicker pending={files} />
        <ErrorBox error={reply.error} />
        <button type="submit" disabled={!ready}>
          Send reply
        </button>
      </form>
    </section>
  );
}

function Rating({ id, onRated }: { id: string; onRated: () => void }) {
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const rate = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/portal/tickets/{id}/rating', {
          params: { path: { id } },
          body: { score, ...(comment.trim() ? { comment: comment.trim() } : {}) },
        }),
      ),
    onSuccess: onRated,
  });
  return (
    <form
      className="stack rating"
      aria-label="Rate the support"
      onSubmit={(e) => {
        e.preventDefault();
        if (score > 0) rate.mutate();
      }}
    >
      <fieldset>
        <legend>How did we do?</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} className="star">
            <input type="radio" name="score" value={n} checked={score === n} onChange={() => setScore(n)} />{' '}
            {n}
          </label>
        ))}
      </fieldset>
      <label>
        Comment (optional)
        <input value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} />
      </label>
      <ErrorBox error={rate.error} />
      <button type="submit" disabled={rate.isPending || score === 0}>
        Rate
      </button>
    </form>
  );
}
