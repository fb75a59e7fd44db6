// Admin page for SLAs (SPEC §4): the policies (targets per priority in business minutes, the calendar or 24×7, the
// statuses that pause the clocks, the warning point, which tickets they match, the default) and the business
// calendars (weekly hours, holidays, with a due-time check against the calendar).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { unwrap, type Schemas } from '../api/client';
import {
  formatDayHours,
  formatMinutes,
  parseDayHours,
  parseHolidays,
  WEEKDAYS,
  type WeeklyHours,
} from '../lib/admin';
import { PRIORITIES, label, type Priority } from '../lib/tickets';
import { formatTime } from '../lib/time';
import { EditorForm, EditorSlot, ErrorBox, Loading, NamedOptions } from '../shared/ui';
import { nameOf, useClients, useTicketSettings } from './lookups';
import { api, savedThen } from './state';

type Policy = Schemas['SlaPolicy'];
type Targets = Policy['targets'];
const PAUSABLE = ['open', 'in_progress', 'waiting_on_customer', 'waiting_on_third_party'] as const;
type Pausable = (typeof PAUSABLE)[number];

function useCalendars() {
  return useQuery({
    queryKey: ['calendars'],
    queryFn: async () =>
      (await unwrap(api.GET('/api/v1/calendars', { params: { query: { limit: 200 } } }))).items,
  });
}

/** Checkboxes for a set of values: the ones checked are `chosen`. */
function Choices<T extends string>(props: {
  legend: string;
  options: readonly { value: T; text: string }[];
  chosen: readonly T[];
  onChange: (chosen: T[]) => void;
}) {
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      {props.options.map((o) => (
        <label key={o.value} className="inline">
          <input
            type="checkbox"
            checked={props.chosen.includes(o.value)}
            onChange={(e) =>
              props.onChange(
                e.target.checked ? [...props.chosen, o.value] : props.chosen.filter((c) => c !== o.value),
              )
            }
          />
          {o.text}
        </label>
      ))}
    </fieldset>
  );
}

// as the list answers them (its client types a day's ranges as string[][])
type Calendar = NonNullable<ReturnType<typeof useCalendars>['data']>[number];

const labelled = <T extends string>(values: readonly T[]) =>
  values.map((value) => ({ value, text: label(value) }));

interface PolicyForm {
  name: string;
  calendarId: string;
  targets: Targets;
  pauseStatuses: Pausable[];
  warnAtPercent: number;
  clientIds: string[];
  priorities: Priority[];
  types: string[];
  isDefault: boolean;
}

function policyForm(p?: Policy): PolicyForm {
  const t = (firstResponseMinutes: number, resolutionMinutes: number) => ({
    firstResponseMinutes,
    resolutionMinutes,
  });
  return {
    name: p?.name ?? '',
    calendarId: p?.calendarId ?? '',
    // a new policy starts from the default policy's targets of SPEC §4
    targets: p?.targets ?? {
      critical: t(15, 240),
      high: t(120, 480),
      medium: t(480, 1440),
      low: t(1440, 4320),
    },
    pauseStatuses: (p?.pauseStatuses as Pausable[] | undefined) ?? [
      'waiting_on_customer',
      'waiting_on_third_party',
    ],
    warnAtPercent: p?.warnAtPercent ?? 80,
    clientIds: p?.match.clientIds ?? [],
    priorities: (p?.match.priorities as Priority[] | undefined) ?? [],
    types: p?.match.types ?? [],
    isDefault: p?.isDefault ?? false,
  };
}

function PolicyEditor({ policy, onDone }: { policy?: Policy; onDone: () => void }) {
  const queryClient = useQueryClient();
  const calendars = useCalendars();
  const clients = useClients();
  const settings = useTicketSettings();
  const [form, setForm] = useState(() => policyForm(policy));
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: form.name,
        calendarId: form.calendarId || null,
        targets: form.targets,
        pauseStatuses: form.pauseStatuses,
        warnAtPercent: form.warnAtPercent,
        match: {
          ...(form.clientIds.length ? { clientIds: form.clientIds } : {}),
          ...(form.priorities.length ? { priorities: form.priorities } : {}),
          ...(form.types.length ? { types: form.types } : {}),
        },
      };
      return policy
        ? unwrap(
            api.PATCH('/api/v1/sla-policies/{id}', {
              params: { path: { id: policy.id }, header: { 'If-Match': String(policy.version) } },
              // the default cannot be unset, only replaced by another
              body: { ...body, ...(form.isDefault && !policy.isDefault ? { isDefault: true } : {}) },
            }),
          )
        : unwrap(api.POST('/api/v1/sla-policies', { body: { ...body, isDefault: form.isDefault } }));
    },
    onSuccess: savedThen(queryClient, 'sla-policies', onDone),
  });
  const target = (p: Priority, field: keyof Targets[Priority], value: string) =>
    setForm({
      ...form,
      targets: { ...form.targets, [p]: { ...form.targets[p], [field]: Number(value) } },
    });
  const title = policy ? `Edit ${policy.name}` : 'New policy';
  return (
    <EditorForm
      title={title}
      saveLabel="Save policy"
      onSave={() => save.mutate()}
      saving={save.isPending}
      error={save.error ?? calendars.error}
      onCancel={onDone}
    >
      <div className="row">
        <label>
          Name
          <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          Calendar
          <select value={form.calendarId} onChange={(e) => setForm({ ...form, calendarId: e.target.value })}>
            <option value="">24×7</option>
            <NamedOptions items={calendars.data} />
          </select>
        </label>
        <label>
          Warn at (% of a target used)
          <input
            type="number"
            min={1}
            max={100}
            required
            value={form.warnAtPercent}
            onChange={(e) => setForm({ ...form, warnAtPercent: Number(e.target.value) })}
          />
        </label>
      </div>
      <table className="compact" aria-label="Targets (business minutes)">
        <thead>
          <tr>
            <th scope="col">Priority</th>
            <th scope="col">First response (min)</th>
            <th scope="col">Resolution (min)</th>
          </tr>
        </thead>
        <tbody>
          {[...PRIORITIES].reverse().map((p) => (
            <tr key={p}>
              <th scope="row">{label(p)}</th>
              {(['firstResponseMinutes', 'resolutionMinutes'] as const).map((field) => (
                <td key={field}>
                  <input
                    type="number"
                    min={1}
                    required
                    aria-label={`${label(p)}: ${field === 'firstResponseMinutes' ? 'first response' : 'resolution'} minutes`}
                    value={form.targets[p][field]}
                    onChange={(e) => target(p, field, e.target.value)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <Choices
        legend="Clocks pause in"
        options={labelled(PAUSABLE)}
        chosen={form.pauseStatuses}
        onChange={(pauseStatuses) => setForm({ ...form, pauseStatuses })}
      />
      <Choices
        legend="Applies to priorities (none: any)"
        options={labelled(PRIORITIES)}
        chosen={form.priorities}
        onChange={(priorities) => setForm({ ...form, priorities })}
      />
      <Choices
        legend="Applies to types (none: any)"
        options={(settings.data?.types ?? []).map((value) => ({ value, text: value }))}
        chosen={form.types}
        onChange={(types) => setForm({ ...form, types })}
      />
      <Choices
        legend="Applies to clients (none: any)"
        options={(clients.data ?? []).map((c) => ({ value: c.id, text: c.name }))}
        chosen={form.clientIds}
        onChange={(clientIds) => setForm({ ...form, clientIds })}
      />
      <label className="inline">
        <input
          type="checkbox"
          checked={form.isDefault}
          disabled={policy?.isDefault}
          onChange={(e) => setForm({ ...form, isDefault: e.target.checked })}
        />
        The tenant’s default policy {policy?.isDefault && '(replace it by making another the default)'}
      </label>
    </EditorForm>
  );
}

function Policies() {
  const policies = useQuery({
    queryKey: ['sla-policies'],
    queryFn: () => unwrap(api.GET('/api/v1/sla-policies', { params: { query: { limit: 200 } } })),
  });
  const calendars = useCalendars();
  const clients = useClients();
  const [editing, setEditing] = useState<Policy | 'new'>();
  const matchText = (m: Policy['match']) =>
    [
      m.clientIds?.length ? `clients ${m.clientIds.map((id) => nameOf(clients.data, id)).join(', ')}` : '',
      m.priorities?.length ? `priority ${m.priorities.map(label).join(', ')}` : '',
      m.types?.length ? `type ${m.types.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ') || 'clients that name it';
  return (
    <section aria-labelledby="policies-title">
      <h2 id="policies-title">Policies</h2>
      <ErrorBox error={policies.error} />
      {policies.isPending && <Loading what="policies" />}
      {policies.data && (
        <table aria-label="SLA policies">
          <thead>
            <tr>
              <th scope="col">Policy</th>
              <th scope="col">Targets (response / resolution)</th>
              <th scope="col">Calendar</th>
              <th scope="col">Pauses in</th>
              <th scope="col">Applies to</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {policies.data.items.map((p) => (
              <tr key={p.id}>
                <td>
                  {p.name} {p.isDefault && <span className="badge">Default</span>}
                  <div className="muted">warns at {p.warnAtPercent} %</div>
                </td>
                <td>
                  {[...PRIORITIES].reverse().map((prio) => (
                    <div key={prio}>
                      {label(prio)}: {formatMinutes(p.targets[prio].firstResponseMinutes)} /{' '}
                      {formatMinutes(p.targets[prio].resolutionMinutes)}
                    </div>
                  ))}
                </td>
                <td>{p.calendarId ? nameOf(calendars.data, p.calendarId) : '24×7'}</td>
                <td>{p.pauseStatuses.map(label).join(', ') || '—'}</td>
                <td>{p.isDefault ? 'every ticket no other policy matches' : matchText(p.match)}</td>
                <td>
                  <button type="button" onClick={() => setEditing(p)}>
                    Edit {p.name}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <EditorSlot editing={editing} newLabel="New policy" onNew={() => setEditing('new')}>
        {(record) => <PolicyEditor policy={record} onDone={() => setEditing(undefined)} />}
      </EditorSlot>
    </section>
  );
}

const DAY_NAMES: Record<(typeof WEEKDAYS)[number], string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

function CalendarEditor({ calendar, onDone }: { calendar?: Calendar; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(calendar?.name ?? '');
  const [timezone, setTimezone] = useState(
    calendar?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
  const [hours, setHours] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      WEEKDAYS.map((d) => [
        d,
        calendar ? formatDayHours(calendar.hours[d]) : d === 'sat' || d === 'sun' ? '' : '08:00-18:00',
      ]),
    ),
  );
  const [holidays, setHolidays] = useState(calendar?.holidays.join('\n') ?? '');
  const save = useMutation({
    mutationFn: () => {
      // a typing mistake is told here, before the API is asked
      const body = {
        name,
        timezone,
        hours: Object.fromEntries(WEEKDAYS.map((d) => [d, parseDayHours(hours[d] ?? '')])) as WeeklyHours,
        holidays: parseHolidays(holidays),
      };
      return calendar
        ? unwrap(
            api.PATCH('/api/v1/calendars/{id}', {
              params: { path: { id: calendar.id }, header: { 'If-Match': String(calendar.version) } },
              body,
            }),
          )
        : unwrap(api.POST('/api/v1/calendars', { body }));
    },
    onSuccess: savedThen(queryClient, 'calendars', onDone),
  });
  const title = calendar ? `Edit ${calendar.name}` : 'New calendar';
  return (
    <EditorForm
      title={title}
      saveLabel="Save calendar"
      onSave={() => save.mutate()}
      saving={save.isPending}
      error={save.error}
      onCancel={onDone}
    >
      <div className="row">
        <label>
          Name
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Time zone
          <input required list="time-zones" value={timezone} onChange={(e) => setTimezone(e.target.value)} />
        </label>
        <datalist id="time-zones">
          {Intl.supportedValuesOf('timeZone').map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </div>
      <fieldset className="stack">
        <legend>Open hours (e.g. 08:00-12:00, 13:00-18:00; empty: closed)</legend>
        {WEEKDAYS.map((d) => (
          <label key={d}>
            {DAY_NAMES[d]}
            <input value={hours[d]} onChange={(e) => setHours({ ...hours, [d]: e.target.value })} />
          </label>
        ))}
      </fieldset>
      <label>
        Holidays (closed dates, YYYY-MM-DD, one a line)
        <textarea rows={4} value={holidays} onChange={(e) => setHolidays(e.target.value)} />
      </label>
    </EditorForm>
  );
}

/** When that many business minutes after a moment fall due on the calendar (GET /calendars/:id/due). */
function DueCheck({ calendar }: { calendar: Calendar }) {
  const [from, setFrom] = useState('');
  const [minutes, setMinutes] = useState('60');
  const due = useMutation({
    mutationFn: () =>
      unwrap(
        api.GET('/api/v1/calendars/{id}/due', {
          params: {
            path: { id: calendar.id },
            query: { minutes: Number(minutes), ...(from ? { from: new Date(from).toISOString() } : {}) },
          },
        }),
      ),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    due.mutate();
  };
  return (
    <form onSubmit={submit} className="row" aria-label={`Due time on ${calendar.name}`}>
      <label>
        Business minutes
        <input type="number" min={1} required value={minutes} onChange={(e) => setMinutes(e.target.value)} />
      </label>
      <label>
        From (your time; empty: now)
        <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <button type="submit" disabled={due.isPending}>
        Compute due time
      </button>
      {due.data && <output>Due {formatTime(due.data.dueAt)}</output>}
      <ErrorBox error={due.error} />
    </form>
  );
}

function Calendars() {
  const calendars = useCalendars();
  const [editing, setEditing] = useState<Calendar | 'new'>();
  return (
    <section aria-labelledby="calendars-title">
      <h2 id="calendars-title">Business calendars</h2>
      <ErrorBox error={calendars.error} />
      {calendars.isPending && <Loading what="calendars" />}
      {calendars.data?.length === 0 && <p className="muted">No calendar yet: policies run 24×7.</p>}
      {calendars.data && calendars.data.length > 0 && (
        <table aria-label="Calendars">
          <thead>
            <tr>
              <th scope="col">Calendar</th>
              <th scope="col">Open hours</th>
              <th scope="col">Holidays</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {calendars.data.map((c) => (
              <tr key={c.id}>
                <td>
                  {c.name}
                  <div className="muted">{c.timezone}</div>
                </td>
                <td>
                  {WEEKDAYS.map((d) => (
                    <div key={d}>
                      {DAY_NAMES[d].slice(0, 3)}: {formatDayHours(c.hours[d]) || 'closed'}
                    </div>
                  ))}
                </td>
                <td>{c.holidays.join(', ') || '—'}</td>
                <td className="stack">
                  <button type="button" onClick={() => setEditing(c)}>
                    Edit {c.name}
                  </button>
                  <DueCheck calendar={c} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <EditorSlot editing={editing} newLabel="New calendar" onNew={() => setEditing('new')}>
        {(record) => <CalendarEditor calendar={record} onDone={() => setEditing(undefined)} />}
      </EditorSlot>
    </section>
  );
}

export function SlaPage() {
  return (
    <section aria-labelledby="sla-page-title">
      <h1 id="sla-page-title">SLA</h1>
      <Policies />
      <Calendars />
    </section>
  );
}
