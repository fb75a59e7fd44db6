// Admin page for webhooks (SPEC §6, docs/product/webhooks.md): endpoints with the events they take, the signing
// secret shown once (at creation and after a rotation), switching an endpoint off and on, and each endpoint's
// delivery log with a manual retry.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { unwrap, type Schemas } from '../api/client';
import { ErrorBox, Loading, SecretOnce } from '../shared/ui';
import { api } from './state';

type Webhook = Schemas['Webhook'];

function Deliveries({ webhook }: { webhook: Webhook }) {
  const queryClient = useQueryClient();
  const key = ['webhooks', webhook.id, 'deliveries'];
  const deliveries = useQuery({
    queryKey: key,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/webhooks/{id}/deliveries', {
          params: { path: { id: webhook.id }, query: { limit: 50 } },
        }),
      ),
  });
  const retry = useMutation({
    mutationFn: (deliveryId: string) =>
      unwrap(
        api.POST('/api/v1/webhooks/{id}/deliveries/{deliveryId}/retry', {
          params: { path: { id: webhook.id, deliveryId } },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: key }),
  });
  return (
    <div>
      <ErrorBox error={deliveries.error ?? retry.error} />
      {deliveries.isPending && <Loading what="deliveries" />}
      {deliveries.data?.items.length === 0 && <p className="muted">No deliveries yet.</p>}
      {deliveries.data && deliveries.data.items.length > 0 && (
        <table className="compact" aria-label={`Deliveries to ${webhook.url}`}>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Last attempt</th>
              <th scope="col">Next attempt</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {deliveries.data.items.map((d) => {
              const last = d.attempts[d.attempts.length - 1];
              return (
                <tr key={d.id}>
                  <td>{d.eventType}</td>
                  <td>{d.status}</td>
                  <td>
                    {last
                      ? `${new Date(last.at).toLocaleString()}: ${last.statusCode ?? last.error ?? '—'} (${last.durationMs} ms)`
                      : '—'}
                  </td>
                  <td>{d.nextAttemptAt ? new Date(d.nextAttemptAt).toLocaleString() : '—'}</td>
                  <td>
                    {d.status !== 'pending' && (
                      <button type="button" disabled={retry.isPending} onClick={() => retry.mutate(d.id)}>
                        Send again
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

function WebhookRow({ webhook, onSecret }: { webhook: Webhook; onSecret: (secret: string) => void }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['webhooks'] });
  const update = useMutation({
    mutationFn: (body: { active?: boolean; rotateSecret?: boolean }) =>
      unwrap(
        api.PATCH('/api/v1/webhooks/{id}', {
          params: { path: { id: webhook.id }, header: { 'If-Match': String(webhook.version) } },
          body,
        }),
      ),
    onSuccess: (answer) => {
      if ('secret' in answer && typeof answer.secret === 'string') onSecret(answer.secret);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: webhook.id } } }),
    onSuccess: refresh,
  });
  return (
    <>
      <tr>
        <td>
          <code>{webhook.url}</code>
          {webhook.description && <div className="muted">{webhook.description}</div>}
        </td>
        <td>{webhook.events.join(', ')}</td>
        <td>
          {webhook.active ? 'Active' : `Off${webhook.disabledReason ? ` (${webhook.disabledReason})` : ''}`}
        </td>
        <td className="actions">
          <button type="button" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
            Deliveries
          </button>
          <button
            type="button"
            disabled={update.isPending}
            onClick={() => update.mutate({ active: !webhook.active })}
          >
            {webhook.active ? 'Switch off' : 'Switch on'}
          </button>
          <button
            type="button"
            disabled={update.isPending}
            onClick={() => update.mutate({ rotateSecret: true })}
          >
            Rotate secret
          </button>
          <button type="button" disabled={remove.isPending} onClick={() => remove.mutate()}>
            Delete
          </button>
          <ErrorBox error={update.error ?? remove.error} />
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={4}>
            <Deliveries webhook={webhook} />
          </td>
        </tr>
      )}
    </>
  );
}

export function WebhooksPage() {
  const queryClient = useQueryClient();
  const [secret, setSecret] = useState<string>();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('*');
  const [description, setDescription] = useState('');
  const webhooks = useQuery({
    queryKey: ['webhooks'],
    queryFn: () => unwrap(api.GET('/api/v1/webhooks', { params: { query: { limit: 200 } } })),
  });
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/webhooks', {
          body: {
            url,
            events: events
              .split(',')
              .map((e) => e.trim())
              .filter(Boolean),
            ...(description ? { description } : {}),
          },
        }),
      ),
    onSuccess: (created) => {
      setSecret(created.secret);
      setUrl('');
      setDescription('');
      void queryClient.invalidateQueries({ queryKey: ['webhooks'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">Webhooks</h1>
      {secret && (
        <SecretOnce
          what="Signing secret"
          where="in the receiver"
          secret={secret}
          onDone={() => setSecret(undefined)}
        />
      )}
      <ErrorBox error={webhooks.error} />
      {webhooks.isPending && <Loading what="webhooks" />}
      {webhooks.data && webhooks.data.items.length > 0 && (
        <table aria-label="Webhooks">
          <thead>
            <tr>
              <th scope="col">Endpoint</th>
              <th scope="col">Events</th>
              <th scope="col">State</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {webhooks.data.items.map((w) => (
              <WebhookRow key={w.id} webhook={w} onSecret={setSecret} />
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={submit} aria-label="New webhook" className="stack">
        <h2>New webhook</h2>
        <label>
          URL (https)
          <input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} />
        </label>
        <label>
          Events (comma-separated, * for all: ticket.created, ticket.updated, sla.breached, …)
          <input required value={events} onChange={(e) => setEvents(e.target.value)} />
        </label>
        <label>
          Description
          <input value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <ErrorBox error={create.error} />
        <button type="submit" disabled={create.isPending}>
          Add webhook
        </button>
      </form>
    </section>
  );
}
