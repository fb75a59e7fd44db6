import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useId, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { unwrap, type Schemas } from '../api/client';
import { ApiError } from '../api/errors';
import { insertMention, matchMentions, mentionAt, moveActive, readyToSend } from '../lib/reply';
import { shortcutFor } from '../lib/shortcuts';
import { PRIORITIES, STATUSES, label, neighbour, splitTags } from '../lib/tickets';
import { countdown, formatTime } from '../lib/time';
import {
  ErrorBox,
  LabelledOptions,
  Loading,
  MessageBody,
  PriorityBadge,
  StatusBadge,
  useNow,
} from '../shared/ui';
import { AttachmentList, downloaded, FilePicker, fileForm, usePendingFiles } from '../shared/attachments';
import { useMe } from './App';
import { nameOf, useClients, useTeams, useTicketSettings, useUsers } from './lookups';
import { MergePanel } from './MergePanel';
import { api, ticketOrder } from './state';
import { TimePanel } from './TimePanel';

type Ticket = Schemas['Ticket'];
type Update = Schemas['UpdateTicketRequest'];
type ReplyKind = 'public_reply' | 'internal_note';

export function TicketPage({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const ticket = useQuery({
    queryKey: ['ticket', id],
    queryFn: () => unwrap(api.GET('/api/v1/tickets/{id}', { params: { path: { id } } })),
  });
  const messages = useQuery({
    queryKey: ['ticket', id, 'messages'],
    queryFn: () =>
      unwrap(api.GET('/api/v1/tickets/{id}/messages', { params: { path: { id }, query: { limit: 200 } } })),
  });
  const me = useMe();
  const myId = me.data && me.data.type === 'user' ? me.data.id : undefined;
  const [mode, setMode] = useState<ReplyKind>('public_reply');
  const replyRef = useRef<HTMLTextAreaElement>(null);

  const update = useMutation({
    mutationFn: (change: Update) =>
      unwrap(
        api.PATCH('/api/v1/tickets/{id}', {
          params: { path: { id }, header: { 'If-Match': String(ticket.data!.version) } },
          body: change,
        }),
      ),
    onSuccess: (next) => {
      queryClient.setQueryData(['ticket', id], next);
      void queryClient.invalidateQueries({ queryKey: ['ticket', id, 'history'] });
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    },
  });

  // registered before the paint: a key pressed on the rows just shown already sees them
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutFor(e);
      if (!action) return;
      if (action === 'next' || action === 'previous') {
        const next = neighbour(ticketOrder.get(), id, action === 'next' ? 1 : -1);
        if (next && next !== id) navigate(`/tickets/${next}`);
      } else if (action === 'reply' || action === 'note') {
        e.preventDefault();
        setMode(action === 'reply' ? 'public_reply' : 'internal_note');
        replyRef.current?.focus();
      } else if (action === 'assignToMe' && myId && ticket.data && ticket.data.assigneeId !== myId) {
        update.mutate({ assigneeId: myId });
      } else if (action === 'close' && document.activeElement === replyRef.current) {
        replyRef.current?.blur();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [id, myId, navigate, ticket.data, update]);

  if (ticket.isPending) return <Loading what="the ticket" />;
  if (ticket.error) return <ErrorBox error={ticket.error} />;
  const t = ticket.data;
  const stale = update.error instanceof ApiError && update.error.status === 409;

  return (
    <div className="ticket-page">
      <section className="thread-column" aria-labelledby="ticket-title">
        <p>
          <Link href="/">← Tickets</Link>
        </p>
        <h1 id="ticket-title">
          <span className="muted">#{t.number}</span> {t.title}
        </h1>
        <p className="meta">
          <StatusBadge status={t.status} /> <PriorityBadge priority={t.priority} /> from{' '}
          {t.requester?.name ?? t.raisedBy} · opened {formatTime(t.openedAt)}
        </p>
        {t.description && (
          <article className="message description" aria-label="Description">
            {/* an e-mail's description names its inline images by cid:, the files of its first message */}
            <MessageBody
              html={t.description}
              files={messages.data?.items.flatMap((m) => m.attachments)}
              fetchFile={fetchAgentFileById}
            />
          </article>
        )}
        <ErrorBox error={messages.error} />
        {messages.isPending && <Loading what="the thread" />}
        <ol className="thread" aria-label="Thread">
          {messages.data?.items.map((m) => (
            <MessageItem key={m.id} message={m} />
          ))}
        </ol>
        <ReplyBox ticket={t} mode={mode} setMode={setMode} textareaRef={replyRef} />
        <History id={id} />
      </section>
      <aside className="side-panel" aria-label="Ticket fields">
        <ErrorBox error={update.error}>
          {stale && (
            <button
              type="button"
              onClick={() => {
                update.reset();
                void ticket.refetch();
              }}
            >
              Reload the ticket
            </button>
          )}
        </ErrorBox>
        <Fields ticket={t} onChange={(change) => update.mutate(change)} busy={update.isPending} myId={myId} />
        <Sla ticket={t} />
        <TimePanel ticket={t} />
        <MergePanel ticket={t} />
      </aside>
    </div>
  );
}

/** A file of the tenant's tickets, fetched with the agent's token in the Authorization header. */
const fetchAgentFileById = (id: string) =>
  downloaded(api.GET('/api/v1/attachments/{id}', { params: { path: { id } }, parseAs: 'blob' }));
const fetchAgentFile = (a: Schemas['Attachment']) => fetchAgentFileById(a.id);

function MessageItem({ message: m }: { message: Schemas['Message'] }) {
  const kinds: Record<string, string> = {
    internal_note: 'Internal note',
    public_reply: 'Public reply',
    email_in: 'E-mail from the customer',
    email_out: 'E-mail to the customer',
    system: 'System',
  };
  return (
    <li className={`message kind-${m.kind}`} data-kind={m.kind}>
      <header>
        <strong>{m.author.name ?? label(m.author.type ?? 'system')}</strong>{' '}
        <span className="kind-label">{kinds[m.kind] ?? label(m.kind)}</span>{' '}
        <time dateTime={m.createdAt ?? undefined} className="muted">
          {formatTime(m.createdAt)}
        </time>
      </header>
      <MessageBody html={m.bodyHtml} files={m.attachments} fetchFile={fetchAgentFileById} />
      <AttachmentList attachments={m.attachments} fetchFile={fetchAgentFile} />
    </li>
  );
}

function ReplyBox({
  ticket,
  mode,
  setMode,
  textareaRef,
}: {
  ticket: Ticket;
  mode: ReplyKind;
  setMode: (m: ReplyKind) => void;
  textareaRef: React.RefObject<HTMLTextAreaElement | null>;
}) {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [status, setStatus] = useState('');
  const upload = useCallback(
    (file: File) =>
      unwrap(
        api.POST('/api/v1/tickets/{id}/attachments', {
          params: { path: { id: ticket.id } },
          body: fileForm(file),
        }),
      ),
    [ticket.id],
  );
  const files = usePendingFiles(upload);
  const send = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/tickets/{id}/messages', {
          params: { path: { id: ticket.id } },
          body: {
            kind: mode,
            bodyText: text,
            ...(files.ids.length ? { attachmentIds: files.ids } : {}),
            ...(status ? { status: status as (typeof STATUSES)[number] } : {}),
          },
        }),
      ),
    onSuccess: (answer) => {
      setText('');
      setStatus('');
      files.clear();
      queryClient.setQueryData(['ticket', ticket.id], answer.ticket);
      void queryClient.invalidateQueries({ queryKey: ['ticket', ticket.id] });
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    },
  });
  const ready = readyToSend(text, files.files) && !send.isPending;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ready) send.mutate();
  };
  const note = mode === 'internal_note';
  return (
    <form className={`reply-box ${note ? 'note' : ''}`} onSubmit={submit} aria-label="Reply">
      <fieldset className="mode">
        <legend>Write</legend>
        <label>
          <input type="radio" name="kind" checked={!note} onChange={() => setMode('public_reply')} /> Public
          reply
        </label>
        <label>
          <input type="radio" name="kind" checked={note} onChange={() => setMode('internal_note')} /> Internal
          note
        </label>
      </fieldset>
      <MentionTextarea
        label={note ? 'Internal note (agents only)' : 'Reply to the customer'}
        textareaRef={textareaRef}
        text={text}
        setText={setText}
        onSubmit={submit}
      />
      <FilePicker pending={files} />
      <div className="row">
        <label>
          Then set status
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{note ? 'Unchanged' : 'Default (waiting on customer)'}</option>
            {STATUSES.filter((s) => s !== 'closed').map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!ready}>
          {note ? 'Add note' : 'Send reply'}
        </button>
      </div>
      <ErrorBox error={send.error} />
      {ticket.status === 'closed' && (
        <p className="muted">The ticket is closed; a customer reply opens a follow-up.</p>
      )}
    </form>
  );
}

/**
 * The reply's text with @mention completion (the ARIA 1.2 combobox pattern): typing `@` and letters opens a listbox
 * of the active agents whose handle or name matches; the arrows move, Enter or Tab inserts `@handle `, Escape
 * closes, and a click picks. The ticket service turns each `@handle` into a mention of a note or a reply.
 */
function MentionTextarea({
  label: labelText,
  textareaRef,
  text,
  setText,
  onSubmit,
}: {
  label: string;
  textareaRef: React.RefObject<HTMLTextAreaElement | null>;
  text: string;
  setText: (text: string) => void;
  onSubmit: (e: FormEvent) => void;
}) {
  const users = useUsers();
  const listId = useId();
  const hintId = useId();
  const [caret, setCaret] = useState<number | null>(null);
  // the @ whose list Escape closed: it stays closed until the caret is in another mention
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const pendingCaret = useRef<number | null>(null);

  const mention = caret === null ? null : mentionAt(text, caret);
  const options =
    mention && mention.start !== dismissed ? matchMentions(users.data ?? [], mention.query) : [];
  const open = options.length > 0;
  const current = open ? Math.min(Math.max(active, 0), options.length - 1) : -1;
  const optionId = (userId: string) => `${listId}-${userId}`;

  // after an insertion, the caret goes after the inserted handle once React has written the text
  useLayoutEffect(() => {
    const el = textareaRef.current;
    if (el && pendingCaret.current !== null) {
      el.setSelectionRange(pendingCaret.current, pendingCaret.current);
      pendingCaret.current = null;
    }
  }, [text, textareaRef]);

  const track = (el: HTMLTextAreaElement) => {
    const at = el.selectionStart === el.selectionEnd ? el.selectionStart : null;
    setCaret(at);
    const next = at === null ? null : mentionAt(el.value, at);
    // a new mention, or other letters: the best match comes first again
    if (!next || next.start !== mention?.start || next.query !== mention?.query) setActive(0);
    if (dismissed !== null && next?.start !== dismissed) setDismissed(null);
  };
  const choose = (handle: string) => {
    if (!mention) return;
    const out = insertMention(text, mention, handle);
    pendingCaret.current = out.caret;
    setText(out.text);
    setCaret(out.caret);
    setActive(0);
  };

  return (
    <div className="mention-box">
      <label>
        {labelText}
        <textarea
          ref={textareaRef}
          rows={5}
          value={text}
          // a textarea is a textbox that cannot expand; as the combobox of the pattern it says its list is open
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={open ? optionId(options[current]!.id) : undefined}
          aria-describedby={hintId}
          onChange={(e) => {
            setText(e.target.value);
            track(e.target);
          }}
          onSelect={(e) => track(e.currentTarget)}
          onBlur={() => setCaret(null)}
          onKeyDown={(e) => {
            if (open) {
              if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                e.preventDefault();
                setActive(moveActive(current, options.length, e.key));
                return;
              }
              if ((e.key === 'Enter' && !e.ctrlKey && !e.metaKey && !e.shiftKey) || e.key === 'Tab') {
                e.preventDefault();
                choose(options[current]!.handle);
                return;
              }
              if (e.key === 'Escape') {
                // the list closes; the page's Escape (leave the reply box) waits for the next press
                e.preventDefault();
                e.stopPropagation();
                setDismissed(mention!.start);
                return;
              }
            }
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) onSubmit(e);
          }}
        />
      </label>
      <ul id={listId} role="listbox" aria-label="Colleagues to mention" className="mentions" hidden={!open}>
        {options.map((u, i) => (
          <li
            key={u.id}
            id={optionId(u.id)}
            role="option"
            aria-selected={i === current}
            // the textarea keeps the focus (and the caret) while the mouse picks
            onMouseDown={(e) => e.preventDefault()}
            onMouseMove={() => i !== current && setActive(i)}
            onClick={() => choose(u.handle)}
          >
            <span className="mention-name">{u.name}</span> <span className="mention-handle">@{u.handle}</span>
          </li>
        ))}
      </ul>
      <p id={hintId} className="muted hint">
        Type @ and a name to mention a colleague; Ctrl+Enter sends.
      </p>
    </div>
  );
}

function Fields({
  ticket: t,
  onChange,
  busy,
  myId,
}: {
  ticket: Ticket;
  onChange: (change: Update) => void;
  busy: boolean;
  myId: string | undefined;
}) {
  const users = useUsers();
  const teams = useTeams();
  const clients = useClients();
  const settings = useTicketSettings();
  const [tags, setTags] = useState(t.tags.join(', '));
  const [shownTags, setShownTags] = useState(t.tags);
  if (shownTags !== t.tags) {
    setShownTags(t.tags);
    setTags(t.tags.join(', '));
  }
  const orNull = (v: string) => (v === '' ? null : v);
  // the current value is always offered, even when the list does not hold it (a switched-off assignee)
  const withCurrent = (list: Array<{ id: string; name: string }>, id: string | null, fallback: string) =>
    id && !list.some((x) => x.id === id) ? [...list, { id, name: fallback }] : list;
  const userOptions = withCurrent(
    users.data?.filter((u) => u.active) ?? [],
    t.assigneeId,
    t.assigneeId === myId
      ? 'Me'
      : (users.data?.find((u) => u.id === t.assigneeId)?.name ?? 'Current assignee'),
  );
  if (myId && !userOptions.some((u) => u.id === myId)) userOptions.unshift({ id: myId, name: 'Me' });

  return (
    <fieldset className="fields" disabled={busy}>
      <legend>Fields</legend>
      <label>
        Status
        <select
          value={t.status}
          onChange={(e) => {
            const status = e.target.value as Update['status'];
            onChange(t.status === 'closed' ? { status, reopen: true } : { status });
          }}
        >
          <LabelledOptions values={STATUSES} />
        </select>
      </label>
      <label>
        Priority
        <select
          value={t.priority}
          onChange={(e) => onChange({ priority: e.target.value as Update['priority'] })}
        >
          <LabelledOptions values={PRIORITIES} />
        </select>
      </label>
      <label>
        Assignee
        <select value={t.assigneeId ?? ''} onChange={(e) => onChange({ assigneeId: orNull(e.target.value) })}>
          <option value="">Unassigned</option>
          {userOptions.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      </label>
      {myId && t.assigneeId !== myId && (
        <button type="button" className="link" onClick={() => onChange({ assigneeId: myId })}>
          Assign to me (a)
        </button>
      )}
      <label>
        Team
        <select value={t.teamId ?? ''} onChange={(e) => onChange({ teamId: orNull(e.target.value) })}>
          <option value="">None</option>
          {withCurrent(teams.data ?? [], t.teamId, 'Current team').map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Client
        <select value={t.clientId ?? ''} onChange={(e) => onChange({ clientId: orNull(e.target.value) })}>
          <option value="">None</option>
          {withCurrent(clients.data ?? [], t.clientId, 'Current client').map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Type
        <select value={t.type ?? ''} onChange={(e) => onChange({ type: orNull(e.target.value) })}>
          <option value="">None</option>
          {[...new Set([...(settings.data?.types ?? []), ...(t.type ? [t.type] : [])])].map((v) => (
            <option key={v}>{v}</option>
          ))}
        </select>
      </label>
      <label>
        Category
        <select value={t.category ?? ''} onChange={(e) => onChange({ category: orNull(e.target.value) })}>
          <option value="">None</option>
          {[...new Set([...(settings.data?.categories ?? []), ...(t.category ? [t.category] : [])])].map(
            (v) => (
              <option key={v}>{v}</option>
            ),
          )}
        </select>
      </label>
      <label>
        Tags (comma-separated)
        <input
          value={tags}
          onChange={(e) => setTags(e.target.value)}
          onBlur={() => {
            const next = splitTags(tags);
            if (next.join(',') !== t.tags.join(',')) onChange({ tags: next });
          }}
        />
      </label>
      <p className="muted">
        Client: {nameOf(clients.data, t.clientId)} · version {t.version}
      </p>
    </fieldset>
  );
}

function Sla({ ticket: t }: { ticket: Ticket }) {
  const now = useNow(15_000);
  const sla = t.sla;
  const row = (name: string, dueAt: string | null, clock: { state: string; metAt: string | null }) => {
    let text: string;
    let overdue = false;
    if (clock.state === 'met') text = `met ${formatTime(clock.metAt)}`;
    else if (clock.state === 'paused') text = 'paused';
    else if (!dueAt) text = 'no target';
    else {
      const c = countdown(dueAt, now);
      text = clock.state === 'breached' ? `breached, ${c.text}` : c.text;
      overdue = c.overdue || clock.state === 'breached';
    }
    return (
      <div className={`sla-row ${overdue ? 'overdue' : ''}`}>
        <dt>{name}</dt>
        <dd>
          {text}
          {dueAt && clock.state !== 'met' && <span className="muted"> ({formatTime(dueAt)})</span>}
        </dd>
      </div>
    );
  };
  return (
    <section aria-labelledby="sla-title" className="sla">
      <h2 id="sla-title">SLA</h2>
      {sla ? (
        <dl>
          {row('First response', sla.firstResponseDueAt, sla.firstResponse)}
          {row('Resolution', sla.resolutionDueAt, sla.resolution)}
        </dl>
      ) : (
        <p className="muted">No SLA policy applies.</p>
      )}
    </section>
  );
}

function History({ id }: { id: string }) {
  const [open, setOpen] = useState(false);
  const users = useUsers();
  const history = useQuery({
    queryKey: ['ticket', id, 'history'],
    queryFn: () =>
      unwrap(api.GET('/api/v1/tickets/{id}/history', { params: { path: { id }, query: { limit: 200 } } })),
    enabled: open,
  });
  const show = (field: string, v: unknown) => {
    if (v === null || v === undefined || v === '') return '—';
    if (Array.isArray(v)) return v.join(', ');
    if (field === 'assigneeId') return nameOf(users.data, String(v));
    if (/At$/.test(field) && typeof v === 'string') return formatTime(v);
    return field === 'status' ? label(String(v)) : String(v);
  };
  return (
    <details className="history" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>History</summary>
      <ErrorBox error={history.error} />
      {history.isLoading && <Loading what="the history" />}
      <ol>
        {history.data?.items.map((h) => (
          <li key={h.id}>
            <time className="muted">{formatTime(h.at)}</time>{' '}
            {h.actor.type === 'user' ? nameOf(users.data, h.actor.id) : label(h.actor.type ?? 'system')}:{' '}
            {h.changes
              .map(
                (c) =>
                  `${label(
                    c.field
                      .replace(/Id$/, '')
                      .replace(/([A-Z])/g, ' $1')
                      .toLowerCase(),
                  )}: ${show(c.field, c.from)} → ${show(c.field, c.to)}`,
              )
              .join('; ') || label(h.cause)}
          </li>
        ))}
      </ol>
    </details>
  );
}
