// Admin page for ticket templates (SPEC §2 "Templates"): named presets of title, description, type, category,
// priority and tags that a new ticket starts from.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap, type Schemas } from '../api/client';
import { PRIORITIES, label, splitTags, type Priority } from '../lib/tickets';
import { EditorForm, EditorSlot, ErrorBox, LabelledOptions, Loading, ValueSelect } from '../shared/ui';
import { useTicketSettings } from './lookups';
import { api, savedThen } from './state';

type Template = Schemas['TicketTemplate'];

export function useTemplates() {
  return useQuery({
    queryKey: ['ticket-templates'],
    staleTime: 60_000,
    queryFn: async () =>
      (await unwrap(api.GET('/api/v1/ticket-templates', { params: { query: { limit: 200 } } }))).items,
  });
}

function TemplateEditor({ template, onDone }: { template?: Template; onDone: () => void }) {
  const queryClient = useQueryClient();
  const settings = useTicketSettings();
  const [form, setForm] = useState({
    name: template?.name ?? '',
    title: template?.title ?? '',
    description: template?.descriptionText ?? '',
    type: template?.type ?? '',
    category: template?.category ?? '',
    priority: template?.priority ?? '',
    tags: template?.tags.join(', ') ?? '',
  });
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: form.name,
        title: form.title,
        description: form.description,
        type: form.type || null,
        category: form.category || null,
        priority: (form.priority || null) as Priority | null,
        tags: splitTags(form.tags),
      };
      return template
        ? unwrap(
            api.PATCH('/api/v1/ticket-templates/{id}', {
              params: { path: { id: template.id }, header: { 'If-Match': String(template.version) } },
              body,
            }),
          )
        : unwrap(api.POST('/api/v1/ticket-templates', { body }));
    },
    onSuccess: savedThen(queryClient, 'ticket-templates', onDone),
  });
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [field]: e.target.value });
  const title = template ? `Edit ${template.name}` : 'New template';
  return (
    <EditorForm
      title={title}
      saveLabel="Save template"
      onSave={() => save.mutate()}
      saving={save.isPending}
      error={save.error}
      onCancel={onDone}
    >
      <label>
        Template name
        <input required value={form.name} onChange={set('name')} />
      </label>
      <label>
        Ticket title
        <input maxLength={500} value={form.title} onChange={set('title')} />
      </label>
      <label>
        Description
        <textarea rows={5} value={form.description} onChange={set('description')} />
      </label>
      <div className="row">
        <label>
          Priority
          <select value={form.priority} onChange={set('priority')}>
            <option value="">Not set</option>
            <LabelledOptions values={PRIORITIES} />
          </select>
        </label>
        <ValueSelect
          label="Type"
          none="Not set"
          values={settings.data?.types}
          value={form.type}
          onChange={(type) => setForm({ ...form, type })}
        />
        <ValueSelect
          label="Category"
          none="Not set"
          values={settings.data?.categories}
          value={form.category}
          onChange={(category) => setForm({ ...form, category })}
        />
        <label>
          Tags (comma-separated)
          <input value={form.tags} onChange={set('tags')} />
        </label>
      </div>
    </EditorForm>
  );
}

function TemplateRow({ template: t, onEdit }: { template: Template; onEdit: () => void }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE('/api/v1/ticket-templates/{id}', {
          params: { path: { id: t.id } },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['ticket-templates'] }),
  });
  return (
    <tr>
      <td>{t.name}</td>
      <td>
        {t.title || '—'}
        {t.descriptionText && <div className="muted">{t.descriptionText.slice(0, 120)}</div>}
      </td>
      <td>
        {[t.priority && label(t.priority), t.type, t.category].filter(Boolean).join(' · ') || '—'}
        {t.tags.length > 0 && <div className="muted">{t.tags.join(', ')}</div>}
      </td>
      <td className="actions">
        <button type="button" onClick={onEdit}>
          Edit {t.name}
        </button>
        <button type="button" disabled={remove.isPending} onClick={() => remove.mutate()}>
          Delete {t.name}
        </button>
        <ErrorBox error={remove.error} />
      </td>
    </tr>
  );
}

export function TemplatesPage() {
  const templates = useTemplates();
  const [editing, setEditing] = useState<Template | 'new'>();
  return (
    <section aria-labelledby="templates-title">
      <h1 id="templates-title">Ticket templates</h1>
      <ErrorBox error={templates.error} />
      {templates.isPending && <Loading what="templates" />}
      {templates.data?.length === 0 && <p className="muted">No template yet.</p>}
      {templates.data && templates.data.length > 0 && (
        <table aria-label="Templates">
          <thead>
            <tr>
              <th scope="col">Template</th>
              <th scope="col">Title and description</th>
              <th scope="col">Fields</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {templates.data.map((t) => (
              <TemplateRow key={t.id} template={t} onEdit={() => setEditing(t)} />
            ))}
          </tbody>
        </table>
      )}
      <EditorSlot editing={editing} newLabel="New template" onNew={() => setEditing('new')}>
        {(record) => <TemplateEditor template={record} onDone={() => setEditing(undefined)} />}
      </EditorSlot>
    </section>
  );
}
