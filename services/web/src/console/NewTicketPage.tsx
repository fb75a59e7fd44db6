import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { unwrap, type Schemas } from '../api/client';
import { PRIORITIES, splitTags } from '../lib/tickets';
import { ErrorBox, LabelledOptions, NamedOptions, ValueSelect } from '../shared/ui';
import { useClients, useTicketSettings } from './lookups';
import { api } from './state';
import { useTemplates } from './TemplatesPage';

type Priority = (typeof PRIORITIES)[number];

/**
 * A ticket opened by an agent: the client first, then one of its contacts (or a new requester), then a template
 * that fills the fields in (each can still be changed: what is sent wins over the template).
 */
export function NewTicketPage() {
  const [, navigate] = useLocation();
  const clients = useClients();
  const settings = useTicketSettings();
  const [clientId, setClientId] = useState('');
  const [contactId, setContactId] = useState('');
  const [requester, setRequester] = useState({ email: '', name: '' });
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState<Priority>('medium');
  const [type, setType] = useState('');
  const [category, setCategory] = useState('');
  const [tags, setTags] = useState('');
  const [templateId, setTemplateId] = useState('');
  const templates = useTemplates();
  const applyTemplate = (id: string) => {
    setTemplateId(id);
    const t = templates.data?.find((x) => x.id === id);
    if (!t) return;
    if (t.title) setTitle(t.title);
    if (t.descriptionText) setDescription(t.descriptionText);
    if (t.priority) setPriority(t.priority as Priority);
    if (t.type) setType(t.type);
    if (t.category) setCategory(t.category);
    if (t.tags.length) setTags(t.tags.join(', '));
  };
  const contacts = useQuery({
    queryKey: ['contacts', { clientId }],
    enabled: clientId !== '',
    queryFn: async () =>
      (await unwrap(api.GET('/api/v1/contacts', { params: { query: { clientId, limit: 200 } } }))).items,
  });
  const create = useMutation({
    mutationFn: () => {
      const body: Schemas['CreateTicketRequest'] = {
        title,
        description,
        priority,
        source: 'agent',
        ...(clientId ? { clientId } : {}),
        // a name left empty is not sent (the API takes none, not an empty one)
        ...(contactId
          ? { contactId }
          : {
              requester: {
                email: requester.email,
                ...(requester.name.trim() ? { name: requester.name.trim() } : {}),
              },
            }),
        ...(type ? { type } : {}),
        ...(category ? { category } : {}),
        ...(tags.trim() ? { tags: splitTags(tags) } : {}),
        ...(templateId ? { templateId } : {}),
      };
      return unwrap(api.POST('/api/v1/tickets', { body }));
    },
    onSuccess: (ticket) => navigate(`/tickets/${ticket.id}`),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section aria-labelledby="new-title" className="narrow">
      <h1 id="new-title">New ticket</h1>
      <form onSubmit={submit} className="stack">
        <label>
          Client
          <select
            required
            value={clientId}
            onChange={(e) => {
              setClientId(e.target.value);
              setContactId('');
            }}
          >
            <option value="">Choose the client…</option>
            <NamedOptions items={clients.data} />
          </select>
        </label>
        <ErrorBox error={clients.error ?? contacts.error} />
        <label>
          Contact
          <select value={contactId} onChange={(e) => setContactId(e.target.value)} disabled={!clientId}>
            <option value="">A new contact…</option>
            {contacts.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} &lt;{c.email}&gt;
              </option>
            ))}
          </select>
        </label>
        {!contactId && (
          <div className="row">
            <label>
              Requester e-mail
              <input
                type="email"
                required
                value={requester.email}
                onChange={(e) => setRequester({ ...requester, email: e.target.value })}
              />
            </label>
            <label>
              Requester name
              <input
                value={requester.name}
                onChange={(e) => setRequester({ ...requester, name: e.target.value })}
              />
            </label>
          </div>
        )}
        <label>
          Template
          <select value={templateId} onChange={(e) => applyTemplate(e.target.value)}>
            <option value="">None</option>
            <NamedOptions items={templates.data} />
          </select>
        </label>
        <ErrorBox error={templates.error} />
        <label>
          Title
          <input required maxLength={500} value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label>
          Description
          <textarea rows={6} value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <div className="row">
          <label>
            Priority
            <select value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
              <LabelledOptions values={PRIORITIES} />
            </select>
          </label>
          <ValueSelect
            label="Type"
            none="None"
            values={settings.data?.types}
            value={type}
            onChange={setType}
          />
          <ValueSelect
            label="Category"
            none="None"
            values={settings.data?.categories}
            value={category}
            onChange={setCategory}
          />
        </div>
        <label>
          Tags (comma-separated)
          <input value={tags} onChange={(e) => setTags(e.target.value)} />
        </label>
        <ErrorBox error={create.error} />
        <button type="submit" disabled={create.isPending}>
          Create ticket
        </button>
      </form>
    </section>
  );
}
