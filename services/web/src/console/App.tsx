import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { unwrap } from '../api/client';
import { useLiveEvents } from '../shared/live';
import { CredentialFields, ErrorBox } from '../shared/ui';
import { shortcutFor } from '../lib/shortcuts';
import { ClientsPage, ContactsPage } from './DirectoryPages';
import { HelpDialog } from './HelpDialog';
import { NewTicketPage } from './NewTicketPage';
import { NotificationBell } from './NotificationBell';
import { MailboxesPage } from './MailboxesPage';
import { ReportsPage } from './ReportsPage';
import { RulesPage } from './RulesPage';
import { SettingsPage } from './SettingsPage';
import { SlaPage } from './SlaPage';
import { TeamsPage, UsersPage } from './TeamPages';
import { TemplatesPage } from './TemplatesPage';
import { WebhooksPage } from './WebhooksPage';
import { agentSession, api, useAgentToken } from './state';
import { TicketListPage } from './TicketListPage';
import { TicketPage } from './TicketPage';

export function App() {
  const token = useAgentToken();
  const queryClient = useQueryClient();
  // a new session sees nothing cached from the last one
  useEffect(() => {
    if (!token) queryClient.clear();
  }, [token, queryClient]);
  return token ? <Console /> : <SignIn />;
}

function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const session = await unwrap(api.POST('/api/v1/auth/login', { body: { email, password } }));
      agentSession.set(session.token);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="signin">
      <h1>Helpdesk</h1>
      <form onSubmit={(e) => void submit(e)} aria-label="Sign in">
        <CredentialFields email={email} password={password} onEmail={setEmail} onPassword={setPassword} />
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: () => unwrap(api.GET('/api/v1/me')), staleTime: 300_000 });
}

function Console() {
  const me = useMe();
  const live = useLiveEvents('/api/v1/events', agentSession, useAgentToken());
  const [help, setHelp] = useState(false);
  const [location] = useLocation();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutFor(e);
      if (action === 'help') setHelp(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const nav = (href: string, text: string, match: (l: string) => boolean) => (
    <Link href={href} aria-current={match(location) ? 'page' : undefined}>
      {text}
    </Link>
  );
  return (
    <div className="console">
      <header className="topbar">
        <span className="brand">Helpdesk</span>
        <nav aria-label="Main">
          {nav('/', 'Tickets', (l) => l === '/' || (l.startsWith('/tickets') && l !== '/tickets/new'))}
          {nav('/tickets/new', 'New ticket', (l) => l === '/tickets/new')}
          {nav('/clients', 'Clients', (l) => l.startsWith('/clients'))}
          {nav('/contacts', 'Contacts', (l) => l.startsWith('/contacts'))}
          {nav('/reports', 'Reports', (l) => l.startsWith('/reports'))}
          {me.data && 'role' in me.data && me.data.role === 'admin' && (
            <>
              {nav('/users', 'Users', (l) => l.startsWith('/users'))}
              {nav('/teams', 'Teams', (l) => l.startsWith('/teams'))}
              {nav('/rules', 'Rules', (l) => l.startsWith('/rules'))}
              {nav('/webhooks', 'Webhooks', (l) => l.startsWith('/webhooks'))}
              {nav('/mailboxes', 'Mailboxes', (l) => l.startsWith('/mailboxes'))}
              {nav('/sla', 'SLA', (l) => l.startsWith('/sla'))}
              {nav('/templates', 'Templates', (l) => l.startsWith('/templates'))}
              {nav('/settings', 'Settings', (l) => l.startsWith('/settings'))}
            </>
          )}
        </nav>
        <span className="spacer" />
        <span className={`live ${live}`} role="status" title="Live updates">
          {live === 'live' ? 'Live' : live === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
        </span>
        <NotificationBell />
        <button type="button" className="link" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts">
          ?
        </button>
        {me.data && 'name' in me.data && <span className="muted">{me.data.name}</span>}
        <button type="button" className="link" onClick={() => agentSession.clear()}>
          Sign out
        </button>
      </header>
      <ErrorBox error={me.error} />
      <main>
        <Switch>
          <Route path="/" component={TicketListPage} />
          <Route path="/tickets/new" component={NewTicketPage} />
          <Route path="/tickets/:id">{(params) => <TicketPage id={params.id} />}</Route>
          <Route path="/clients" component={ClientsPage} />
          <Route path="/contacts" component={ContactsPage} />
          <Route path="/reports" component={ReportsPage} />
          <Route path="/users" component={UsersPage} />
          <Route path="/teams" component={TeamsPage} />
          <Route path="/rules" component={RulesPage} />
          <Route path="/webhooks" component={WebhooksPage} />
          <Route path="/mailboxes" component={MailboxesPage} />
          <Route path="/sla" component={SlaPage} />
          <Route path="/templates" component={TemplatesPage} />
          <Route path="/settings" component={SettingsPage} />
          <Route>
            <p>
              No such page. <Link href="/">Back to the tickets</Link>
            </p>
          </Route>
        </Switch>
      </main>
      {help && <HelpDialog onClose={() => setHelp(false)} />}
    </div>
  );
}
