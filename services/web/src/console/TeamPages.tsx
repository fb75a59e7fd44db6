// Admin pages for the people of the tenant (docs/product/tenants-and-users.md): users (agents and admins: add one,
// change a role, switch one off) and teams (with their members). The API lists and changes them for admins only.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { unwrap, type Schemas } from '../api/client';
import { label } from '../lib/tickets';
import { ErrorBox, Loading } from '../shared/ui';
import { useTeams, useUsers } from './lookups';
import { api } from './state';

type User = Schemas['User'];

function UserRow({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const update = useMutation({
    mutationFn: (body: { role?: 'admin' | 'agent'; active?: boolean }) =>
      unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
  return (
    <tr className={user.active ? undefined : 'muted'}>
      <td>{user.name}</td>
      <td>{user.email}</td>
      <td>@{user.handle}</td>
      <td>
        <select
          aria-label={`Role of ${user.name}`}
          value={user.role}
          disabled={update.isPending}
          onChange={(e) => update.mutate({ role: e.target.value as 'admin' | 'agent' })}
        >
          <option value="agent">Agent</option>
          <option value="admin">Admin</option>
        </select>
      </td>
      <td>
        <button
          type="button"
          disabled={update.isPending}
          onClick={() => update.mutate({ active: !user.active })}
        >
          {user.active ? `Deactivate ${user.name}` : `Activate ${user.name}`}
        </button>
        <ErrorBox error={update.error} />
      </td>
    </tr>
  );
}

export function UsersPage() {
  const queryClient = useQueryClient();
  const users = useUsers();
  const [form, setForm] = useState({ name: '', email: '', role: 'agent' as 'admin' | 'agent', password: '' });
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/users', { body: form })),
    onSuccess: () => {
      setForm({ name: '', email: '', role: 'agent', password: '' });
      void queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <ErrorBox error={users.error} />
      {users.isPending && <Loading what="users" />}
      {users.data?.length === 0 && <p className="muted">Only admins see and manage the users.</p>}
      {users.data && users.data.length > 0 && (
        <table aria-label="Users">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Handle</th>
              <th scope="col">Role</th>
              <th scope="col">Active</th>
            </tr>
          </thead>
          <tbody>
            {users.data.map((u) => (
              <UserRow key={u.id} user={u} />
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={submit} aria-label="New user" className="stack">
        <h2>New user</h2>
        <label>
          Name
          <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          E-mail
          <input
            type="email"
            required
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
        </label>
        <label>
          Role
          <select
            value={form.role}
            onChange={(e) => setForm({ ...form, role: e.target.value as 'admin' | 'agent' })}
          >
            <option value="agent">Agent</option>
            <option value="admin">Admin</option>
          </select>
        </label>
        <label>
          Initial password
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
        </label>
        <ErrorBox error={create.error} />
        <button type="submit" disabled={create.isPending}>
          Add user
        </button>
      </form>
    </section>
  );
}

export function TeamsPage() {
  const queryClient = useQueryClient();
  const teams = useTeams();
  const users = useUsers();
  const [name, setName] = useState('');
  const [members, setMembers] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/teams', { body: { name, memberIds: members } })),
    onSuccess: () => {
      setName('');
      setMembers([]);
      void queryClient.invalidateQueries({ queryKey: ['teams'] });
    },
  });
  const userName = (id: string) => users.data?.find((u) => u.id === id)?.name ?? id;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section aria-labelledby="teams-title">
      <h1 id="teams-title">Teams</h1>
      <ErrorBox error={teams.error} />
      {teams.isPending && <Loading what="teams" />}
      {teams.data && teams.data.length > 0 && (
        <table aria-label="Teams">
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col">Members</th>
            </tr>
          </thead>
          <tbody>
            {teams.data.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>{t.memberIds.map(userName).join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={submit} aria-label="New team" className="stack">
        <h2>New team</h2>
        <label>
          Name
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <fieldset>
          <legend>Members</legend>
          {users.data
            ?.filter((u) => u.active)
            .map((u) => (
              <label key={u.id} className="inline">
                <input
                  type="checkbox"
                  checked={members.includes(u.id)}
                  onChange={(e) =>
                    setMembers(e.target.checked ? [...members, u.id] : members.filter((m) => m !== u.id))
                  }
                />
                {u.name} ({label(u.role)})
              </label>
            ))}
        </fieldset>
        <ErrorBox error={create.error} />
        <button type="submit" disabled={create.isPending}>
          Add team
        </button>
      </form>
    </section>
  );
}
