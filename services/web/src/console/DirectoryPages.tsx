import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { unwrap } from '../api/client';
import { label } from '../lib/tickets';
import { ErrorBox, Loading, NamedOptions } from '../shared/ui';
import { nameOf, useClients } from './lookups';
import { api } from './state';

export function ClientsPage() {
  const queryClient = useQueryClient();
  const clients = useClients();
  const [name, setName] = useState('');
  const [domains, setDomains] = useState('');
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/clients', {
          body: {
            name,
            domains: domains
              .split(',')
              .map((d) => d.trim())
              .filter(Boolean),
          },
        }),
      ),
    onSuccess: () => {
      setName('');
      setDomains('');
      void queryClient.invalidateQueries({ queryKey: ['clients'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section aria-labelledby="clients-title">
      <h1 id="clients-title">Clients</h1>
      <ErrorBox error={clients.error} />
      {clients.isPending && <Loading what="clients" />}
      {clients.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail domains</th>
              <th scope="col">Contacts</th>
            </tr>
          </thead>
          <tbody>
            {clients.data.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{c.domains.join(', ') || '—'}</td>
                <td>
                  <Link href={`/contacts?clientId=${c.id}`}>Contacts</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={submit} className="row" aria-label="New client">
        <label>
          New client
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Domains (comma-separated)
          <input
            value={domains}
            onChange={(e) => setDomains(e.target.value)}
            placeholder="customer.example"
          />
        </label>
        <button type="submit" disabled={create.isPending}>
          Add client
        </button>
      </form>
      <ErrorBox error={create.error} />
    </section>
  );
}

export function ContactsPage() {
  const clients = useClients();
  const [clientId, setClientId] = useState(
    () => new URLSearchParams(window.location.search).get('clientId') ?? '',
  );
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const contacts = useQuery({
    queryKey: ['contacts', { clientId, q: search }],
    queryFn: async () =>
      (
        await unwrap(
          api.GET('/api/v1/contacts', {
            params: {
              query: { limit: 200, ...(clientId ? { clientId } : {}), ...(search ? { q: search } : {}) },
            },
          }),
        )
      ).items,
  });
  return (
    <section aria-labelledby="contacts-title">
      <h1 id="contacts-title">Contacts</h1>
      <div className="filters">
        <label>
          Client
          <select value={clientId} onChange={(e) => setClientId(e.target.value)}>
            <option value="">All clients</option>
            <NamedOptions items={clients.data} />
          </select>
        </label>
        <form
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setSearch(q.trim());
          }}
        >
          <label>
            Search
            <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
          </label>
          <button type="submit">Search</button>
        </form>
      </div>
      <ErrorBox error={contacts.error} />
      {contacts.isPending && <Loading what="contacts" />}
      {contacts.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Client</th>
              <th scope="col">Portal</th>
            </tr>
          </thead>
          <tbody>
            {contacts.data.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{c.email}</td>
                <td>{nameOf(clients.data, c.clientId)}</td>
                <td>{label(c.portalAccess)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
