// The ticket page's time tracking (SPEC §5): the caller's timer (one at a time: starting it here stops one running
// on another ticket), time logged by hand (a duration, a note, billable or not, a work type), and the ticket's log
// with each entry's billable flag switchable.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { unwrap, type Schemas } from '../api/client';
import { formatMinutes, parseMinutes } from '../lib/admin';
import { formatTime, span } from '../lib/time';
import { ErrorBox, Loading, useNow } from '../shared/ui';
import { nameOf, useUsers } from './lookups';
import { api } from './state';

type Ticket = Schemas['Ticket'];
type Entry = Schemas['TimeEntry'];

/** After a timer or an entry changed: the caller's timer, and the ticket with its time log (a prefix of its key). */
function useTimeRefresh(ticketId: string) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ['me', 'timer'] });
    void queryClient.invalidateQueries({ queryKey: ['ticket', ticketId] });
  };
}

function Timer({ ticket }: { ticket: Ticket }) {
  const refresh = useTimeRefresh(ticket.id);
  const now = useNow(15_000);
  const [note, setNote] = useState('');
  const [billable, setBillable] = useState(true);
  const timer = useQuery({
    queryKey: ['me', 'timer'],
    queryFn: () => unwrap(api.GET('/api/v1/me/timer')),
  });
  const start = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/tickets/{id}/timer/start', {
          params: { path: { id: ticket.id } },
          body: { billable, ...(note ? { note } : {}) },
        }),
      ),
    onSuccess: refresh,
  });
  const stop = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/tickets/{id}/timer/stop', {
          params: { path: { id: ticket.id } },
          body: { billable, ...(note ? { note } : {}) },
        }),
      ),
    onSuccess: () => {
      setNote('');
      setBillable(true);
      refresh();
    },
  });
  const running = timer.data?.timer;
  const here = running?.ticketId === ticket.id;
  return (
    <div className="stack timer">
      <ErrorBox error={timer.error ?? start.error ?? stop.error} />
      {here ? (
        <p role="status" className="running">
          Timer running for {span(now - Date.parse(running.startedAt))} (since {formatTime(running.startedAt)}
          )
        </p>
      ) : running ? (
        <p className="muted">
          Your timer runs on <Link href={`/tickets/${running.ticketId}`}>#{running.ticketNumber}</Link>;
          starting it here stops that one.
        </p>
      ) : null}
      <div className="row">
        <label>
          Timer note
          <input value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        <label className="inline">
          <input type="checkbox" checked={billable} onChange={(e) => setBillable(e.target.checked)} />
          Billable
        </label>
      </div>
      {here ? (
        <button type="button" disabled={stop.isPending} onClick={() => stop.mutate()}>
          Stop timer
        </button>
      ) : (
        <button type="button" disabled={start.isPending || timer.isPending} onClick={() => start.mutate()}>
          Start timer
        </button>
      )}
    </div>
  );
}

function LogTime({ ticket, onLogged }: { ticket: Ticket; onLogged: () => void }) {
  const [duration, setDuration] = useState('');
  const [note, setNote] = useState('');
  const [workType, setWorkType] = useState('');
  const [billable, setBillable] = useState(true);
  const [invalid, setInvalid] = useState(false);
  const log = useMutation({
    mutationFn: (durationMinutes: number) =>
      unwrap(
        api.POST('/api/v1/time-entries', {
          body: {
            ticketId: ticket.id,
            durationMinutes,
            billable,
            ...(note ? { note } : {}),
            ...(workType ? { workType } : {}),
          },
        }),
      ),
    onSuccess: () => {
      setDuration('');
      setNote('');
      setWorkType('');
      setBillable(true);
      onLogged();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const minutes = parseMinutes(duration);
    setInvalid(minutes === undefined);
    if (minutes !== undefined) log.mutate(minutes);
  };
  return (
    <form onSubmit={submit} aria-label="Log time" className="stack">
      <div className="row">
        <label>
          Time spent (e.g. 45, 1:30, 1h 30m)
          <input
            required
            value={duration}
            aria-invalid={invalid}
            aria-describedby={invalid ? 'duration-error' : undefined}
            onChange={(e) => setDuration(e.target.value)}
          />
        </label>
        <label>
          Work type
          <input
            list="work-types"
            placeholder="remote, onsite, travel"
            value={workType}
            onChange={(e) => setWorkType(e.target.value)}
          />
        </label>
        <datalist id="work-types">
          <option value="remote" />
          <option value="onsite" />
          <option value="travel" />
        </datalist>
      </div>
      {invalid && (
        <p id="duration-error" className="error" role="alert">
          Give the time as minutes (45), hours and minutes (1:30) or 1h 30m.
        </p>
      )}
      <label>
        Note
        <input value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <label className="inline">
        <input type="checkbox" checked={billable} onChange={(e) => setBillable(e.target.checked)} />
        Billable
      </label>
      <ErrorBox error={log.error} />
      <button type="submit" disabled={log.isPending}>
        Log time
      </button>
    </form>
  );
}

function EntryRow({ entry: e, onChanged }: { entry: Entry; onChanged: () => void }) {
  const users = useUsers();
  const queryClient = useQueryClient();
  const update = useMutation({
    mutationFn: (billable: boolean) =>
      unwrap(
        api.PATCH('/api/v1/time-entries/{id}', {
          params: { path: { id: e.id }, header: { 'If-Match': String(e.version) } },
          body: { billable },
        }),
      ),
    onError: () => setBillable(e.billable),
    onSuccess: (next) => {
      // the entry as answered at once, the rest when the log is read again
      queryClient.setQueryData<Schemas['TimeEntryPage']>(
        ['ticket', e.ticketId, 'time-entries'],
        (page) => page && { ...page, items: page.items.map((x) => (x.id === next.id ? next : x)) },
      );
      onChanged();
    },
  });
  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE('/api/v1/time-entries/{id}', {
          params: { path: { id: e.id }, header: { 'If-Match': String(e.version) } },
        }),
      ),
    onSuccess: onChanged,
  });
  // the choice shows at once while it is saved; the entry as stored (a new version) replaces it
  const [billable, setBillable] = useState(e.billable);
  const [shownVersion, setShownVersion] = useState(e.version);
  if (shownVersion !== e.version) {
    setShownVersion(e.version);
    setBillable(e.billable);
  }
  const what = `${formatMinutes(e.durationMinutes)} on ${formatTime(e.startedAt)}`;
  return (
    <tr>
      <td>
        <time dateTime={e.startedAt}>{formatTime(e.startedAt)}</time>
        <div className="muted">{nameOf(users.data, e.userId)}</div>
      </td>
      <td>{formatMinutes(e.durationMinutes)}</td>
      <td>
        {e.note || '—'}
        {e.workType && <div className="muted">{e.workType}</div>}
        {e.flagged && <div className="attention">Needs review ({e.flagReason ?? 'flagged'})</div>}
      </td>
      <td>
        <input
          type="checkbox"
          aria-label={`Billable: ${what}`}
          checked={billable}
          disabled={update.isPending}
          onChange={(ev) => {
            setBillable(ev.target.checked);
            update.mutate(ev.target.checked);
          }}
        />
      </td>
      <td>
        <button
          type="button"
          className="link"
          aria-label={`Delete ${what}`}
          disabled={remove.isPending}
          onClick={() => remove.mutate()}
        >
          Delete
        </button>
        <ErrorBox error={update.error ?? remove.error} />
      </td>
    </tr>
  );
}

export function TimePanel({ ticket }: { ticket: Ticket }) {
  const refresh = useTimeRefresh(ticket.id);
  const entries = useQuery({
    queryKey: ['ticket', ticket.id, 'time-entries'],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/tickets/{id}/time-entries', {
          params: { path: { id: ticket.id }, query: { limit: 200 } },
        }),
      ),
  });
  const items = entries.data?.items ?? [];
  const sum = (list: Entry[]) => list.reduce((total, e) => total + e.durationMinutes, 0);
  // the log itself once it is read (the ticket's timeSpentMinutes follows the log's events a moment later)
  const spent = entries.data ? sum(items) : ticket.timeSpentMinutes;
  const billable = sum(items.filter((e) => e.billable));
  return (
    <section aria-labelledby="time-title" className="time">
      <h2 id="time-title">Time</h2>
      <p>
        {formatMinutes(spent)} spent
        {items.length > 0 && <span className="muted"> ({formatMinutes(billable)} billable)</span>}
      </p>
      <Timer ticket={ticket} />
      <details>
        <summary>Log time by hand</summary>
        <LogTime ticket={ticket} onLogged={refresh} />
      </details>
      <ErrorBox error={entries.error} />
      {entries.isPending && <Loading what="the time log" />}
      {items.length > 0 && (
        <table className="compact" aria-label="Time log">
          <thead>
            <tr>
              <th scope="col">When, who</th>
              <th scope="col">Time</th>
              <th scope="col">Note</th>
              <th scope="col">Billable</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <EntryRow key={e.id} entry={e} onChanged={refresh} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
