// Admin page for the tenant's settings (SPEC §1, §2, §3, §5): its name, portal slug and time zone; the ticket
// types and categories, what a customer reply to a closed ticket does and the attachment limit; the rounding of
// billable time in reports.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { unwrap, type Schemas } from '../api/client';
import { EditorForm, ErrorBox, Loading } from '../shared/ui';
import { useTicketSettings } from './lookups';
import { api } from './state';

const MB = 1024 * 1024;
// settings still at their defaults are version 0, which If-Match cannot name (the API takes 1 and up): the first
// change goes unguarded, every later one names its version
const ifMatch = (version: number) => (version > 0 ? { header: { 'If-Match': String(version) } } : {});
const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** One settings form: its fields, a save button and the answer (saved, or the API's error). */
function SettingsForm(props: {
  title: string;
  save: { mutate: () => void; isPending: boolean; error: unknown; isSuccess: boolean };
  children: ReactNode;
}) {
  const { save } = props;
  return (
    <EditorForm
      title={props.title}
      saveLabel={`Save ${props.title.toLowerCase()}`}
      onSave={() => save.mutate()}
      saving={save.isPending}
      error={save.error}
      after={save.isSuccess && <span role="status">Saved.</span>}
    >
      {props.children}
    </EditorForm>
  );
}

function TenantForm({ tenant }: { tenant: Schemas['Tenant'] }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: tenant.name, slug: tenant.slug, timezone: tenant.timezone });
  const save = useMutation({
    mutationFn: () => unwrap(api.PATCH('/api/v1/tenant', { body: form })),
    onSuccess: (next) => queryClient.setQueryData(['tenant'], next),
  });
  return (
    <SettingsForm title="Tenant" save={save}>
      <label>
        Name
        <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      </label>
      <label>
        Portal slug (the portal is at {location.origin}/portal/{form.slug || '…'})
        <input
          required
          pattern="[a-z0-9]+(-[a-z0-9]+)*"
          title="lowercase letters, digits and hyphens"
          value={form.slug}
          onChange={(e) => setForm({ ...form, slug: e.target.value })}
        />
      </label>
      <label>
        Time zone (reports count days in it)
        <input
          required
          list="tenant-time-zones"
          value={form.timezone}
          onChange={(e) => setForm({ ...form, timezone: e.target.value })}
        />
      </label>
      <datalist id="tenant-time-zones">
        {Intl.supportedValuesOf('timeZone').map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </SettingsForm>
  );
}

type ClosedReply = 'follow_up' | 'reopen' | 'reopen_within';

function TicketSettingsForm({ settings }: { settings: Schemas['TicketSettings'] }) {
  const queryClient = useQueryClient();
  const policy = settings.closedReplyPolicy;
  const [types, setTypes] = useState(settings.types.join('\n'));
  const [categories, setCategories] = useState(settings.categories.join('\n'));
  const [closed, setClosed] = useState<ClosedReply>(typeof policy === 'string' ? policy : 'reopen_within');
  const [days, setDays] = useState(typeof policy === 'string' ? 7 : policy.reopenWithinDays);
  const [maxMb, setMaxMb] = useState(Math.round(settings.attachmentMaxBytes / MB));
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/api/v1/ticket-settings', {
          params: ifMatch(settings.version),
          body: {
            types: lines(types),
            categories: lines(categories),
            closedReplyPolicy: closed === 'reopen_within' ? { reopenWithinDays: days } : closed,
            attachmentMaxBytes: maxMb * MB,
          },
        }),
      ),
    onSuccess: (next) => queryClient.setQueryData(['ticket-settings'], next),
  });
  return (
    <SettingsForm title="Ticket settings" save={save}>
      <div className="row">
        <label>
          Types (one a line)
          <textarea rows={5} value={types} onChange={(e) => setTypes(e.target.value)} />
        </label>
        <label>
          Categories (one a line)
          <textarea rows={5} value={categories} onChange={(e) => setCategories(e.target.value)} />
        </label>
      </div>
      <div className="row">
        <label>
          A customer reply to a closed ticket
          <select value={closed} onChange={(e) => setClosed(e.target.value as ClosedReply)}>
            <option value="follow_up">opens a follow-up ticket</option>
            <option value="reopen">reopens it</option>
            <option value="reopen_within">reopens it within some days, else a follow-up</option>
          </select>
        </label>
        {closed === 'reopen_within' && (
          <label>
            Days
            <input
              type="number"
              min={1}
              required
              value={days}
              onChange={(e) => setDays(Number(e.target.value))}
            />
          </label>
        )}
        <label>
          Largest attachment (MB)
          <input
            type="number"
            min={1}
            required
            value={maxMb}
            onChange={(e) => setMaxMb(Number(e.target.value))}
          />
        </label>
      </div>
    </SettingsForm>
  );
}

function TimeSettingsForm({ settings }: { settings: Schemas['TimeSettings'] }) {
  const queryClient = useQueryClient();
  const [minutes, setMinutes] = useState(settings.billableRounding.minutes);
  const [mode, setMode] = useState(settings.billableRounding.mode as 'up' | 'nearest' | 'down');
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/api/v1/time-settings', {
          params: ifMatch(settings.version),
          body: { billableRounding: { minutes, mode } },
        }),
      ),
    onSuccess: (next) => queryClient.setQueryData(['time-settings'], next),
  });
  return (
    <SettingsForm title="Time settings" save={save}>
      <div className="row">
        <label>
          Round each billable entry to (minutes; 0: no rounding)
          <input
            type="number"
            min={0}
            required
            value={minutes}
            onChange={(e) => setMinutes(Number(e.target.value))}
          />
        </label>
        <label>
          Rounding
          <select value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
            <option value="up">up</option>
            <option value="nearest">to the nearest</option>
            <option value="down">down</option>
          </select>
        </label>
      </div>
    </SettingsForm>
  );
}

export function SettingsPage() {
  const tenant = useQuery({ queryKey: ['tenant'], queryFn: () => unwrap(api.GET('/api/v1/tenant')) });
  const tickets = useTicketSettings();
  const time = useQuery({
    queryKey: ['time-settings'],
    queryFn: () => unwrap(api.GET('/api/v1/time-settings')),
  });
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <ErrorBox error={tenant.error ?? tickets.error ?? time.error} />
      {(tenant.isPending || tickets.isPending || time.isPending) && <Loading what="the settings" />}
      {tenant.data && <TenantForm tenant={tenant.data} />}
      {tickets.data && <TicketSettingsForm settings={tickets.data} />}
      {time.data && <TimeSettingsForm settings={time.data} />}
    </section>
  );
}
