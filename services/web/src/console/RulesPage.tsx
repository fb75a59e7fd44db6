// Admin page for automation rules (SPEC §7, docs/product/automation.md): the rules in their order with their
// counters, switching one on and off, editing one (its trigger, conditions and actions as JSON, checked by the API),
// a dry run against a ticket before or after saving, and the run log of why a rule fired or was skipped.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap, type Schemas } from '../api/client';
import { ErrorBox, Loading } from '../shared/ui';
import { api } from './state';

type Rule = Schemas['AutomationRule'];
type DryRun = Schemas['AutomationDryRun'];
type Definition = Pick<Rule, 'trigger' | 'conditions' | 'actions'>;

const EXAMPLE: Definition = {
  trigger: { type: 'event', events: ['ticket.created'] },
  conditions: { all: [{ field: 'priority', op: 'equals', value: 'critical' }] },
  actions: [{ type: 'add_tags', tags: ['urgent'] }],
};

function triggerText(trigger: Rule['trigger']): string {
  const t = trigger as Record<string, unknown>;
  if (t['type'] === 'event') return `on ${(t['events'] as string[] | undefined)?.join(', ') ?? '?'}`;
  if (t['type'] === 'time') return `${String(t['after'])} after ${String(t['since'])}`;
  return `schedule ${String(t['rrule'])}`;
}

function DryRunResult({ result }: { result: DryRun }) {
  return (
    <div className="dry-run" aria-label="Dry run">
      <p>
        <strong>{result.matched ? 'Would fire' : 'Would not fire'}</strong>
      </p>
      {result.conditions.length > 0 && (
        <table className="compact">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Op</th>
              <th scope="col">Value</th>
              <th scope="col">Actual</th>
              <th scope="col">Holds</th>
            </tr>
          </thead>
          <tbody>
            {result.conditions.map((c, i) => (
              <tr key={i}>
                <td>{c.field}</td>
                <td>{c.op}</td>
                <td>{JSON.stringify(c.value)}</td>
                <td>{JSON.stringify(c.actual)}</td>
                <td>{c.result ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.matched && <pre>{JSON.stringify(result.actions, null, 2)}</pre>}
      {result.occurrences && (
        <p>Next: {result.occurrences.map((o) => new Date(o).toLocaleString()).join(', ')}</p>
      )}
    </div>
  );
}

function Runs({ ruleId }: { ruleId: string }) {
  const runs = useQuery({
    queryKey: ['automation-runs', ruleId],
    queryFn: () => unwrap(api.GET('/api/v1/automation-runs', { params: { query: { ruleId, limit: 50 } } })),
  });
  return (
    <div>
      <ErrorBox error={runs.error} />
      {runs.data?.items.length === 0 && <p className="muted">No runs yet.</p>}
      {runs.data && runs.data.items.length > 0 && (
        <table className="compact" aria-label="Runs">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Version</th>
              <th scope="col">Outcome</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.items.map((r) => (
              <tr key={r.id}>
                <td>{new Date(r.at).toLocaleString()}</td>
                <td>{r.ruleVersion}</td>
                <td>
                  {r.outcome}
                  {r.reason ? ` (${r.reason})` : ''}
                </td>
                <td>
                  {r.actions.map((a) => `${a.type}: ${a.result}${a.error ? ` (${a.error})` : ''}`).join('; ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The editor of a new rule (`rule` undefined) or of a saved one. */
function RuleEditor({ rule, onDone }: { rule: Rule | undefined; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(rule?.name ?? '');
  const [stopProcessing, setStopProcessing] = useState(rule?.stopProcessing ?? false);
  const [json, setJson] = useState(
    JSON.stringify(
      rule ? { trigger: rule.trigger, conditions: rule.conditions, actions: rule.actions } : EXAMPLE,
      null,
      2,
    ),
  );
  const [ticketId, setTicketId] = useState('');
  const [parseError, setParseError] = useState<string>();
  const tickets = useQuery({
    queryKey: ['tickets', 'for-dry-run'],
    queryFn: () => unwrap(api.GET('/api/v1/tickets', { params: { query: { limit: 50 } } })),
  });
  const definition = (): Definition | undefined => {
    try {
      const parsed = JSON.parse(json) as Definition;
      setParseError(undefined);
      return parsed;
    } catch (err) {
      setParseError(`Not JSON: ${(err as Error).message}`);
      return undefined;
    }
  };
  const save = useMutation({
    mutationFn: (d: Definition) =>
      rule
        ? unwrap(
            api.PATCH('/api/v1/automation-rules/{id}', {
              params: { path: { id: rule.id }, header: { 'If-Match': String(rule.version) } },
              body: { name, stopProcessing, ...d },
            }),
          )
        : unwrap(api.POST('/api/v1/automation-rules', { body: { name, stopProcessing, ...d } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['automation-rules'] });
      onDone();
    },
  });
  const dryRun = useMutation({
    mutationFn: (d: Definition) =>
      unwrap(
        api.POST('/api/v1/automation-rules/dry-run', {
          body: { rule: d, ...(ticketId ? { ticketId } : {}) },
        }),
      ),
  });
  return (
    <form
      className="stack"
      aria-label={rule ? `Edit ${rule.name}` : 'New rule'}
      onSubmit={(e) => {
        e.preventDefault();
        const d = definition();
        if (d) save.mutate(d);
      }}
    >
      <h2>{rule ? `Edit “${rule.name}” (version ${rule.version})` : 'New rule'}</h2>
      <label>
        Name
        <input required value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="inline">
        <input
          type="checkbox"
          checked={stopProcessing}
          onChange={(e) => setStopProcessing(e.target.checked)}
        />
        Stop later rules when this one fires
      </label>
      <label>
        Trigger, conditions and actions (JSON)
        <textarea rows={14} spellCheck={false} value={json} onChange={(e) => setJson(e.target.value)} />
      </label>
      {parseError && (
        <div className="error" role="alert">
          {parseError}
        </div>
      )}
      <ErrorBox error={save.error ?? dryRun.error} />
      <div className="row">
        <label>
          Dry run on
          <select value={ticketId} onChange={(e) => setTicketId(e.target.value)}>
            <option value="">No ticket (schedules)</option>
            {tickets.data?.items.map((t) => (
              <option key={t.id} value={t.id}>
                #{t.number} {t.title}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={dryRun.isPending}
          onClick={() => {
            const d = definition();
            if (d) dryRun.mutate(d);
          }}
        >
          Dry run
        </button>
      </div>
      {dryRun.data && <DryRunResult result={dryRun.data} />}
      <div className="row">
        <button type="submit" disabled={save.isPending}>
          Save rule
        </button>
        <button type="button" className="link" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function RuleRow({ rule, onEdit }: { rule: Rule; onEdit: () => void }) {
  const queryClient = useQueryClient();
  const [runs, setRuns] = useState(false);
  const toggle = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/api/v1/automation-rules/{id}', {
          params: { path: { id: rule.id }, header: { 'If-Match': String(rule.version) } },
          body: { active: !rule.active },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['automation-rules'] }),
  });
  return (
    <>
      <tr className={rule.active ? undefined : 'muted'}>
        <td>{rule.position}</td>
        <td>{rule.name}</td>
        <td>{triggerText(rule.trigger)}</td>
        <td>
          {rule.stats.fired} fired, {rule.stats.skipped} skipped
          {rule.stats.lastFiredAt ? `, last ${new Date(rule.stats.lastFiredAt).toLocaleString()}` : ''}
        </td>
        <td className="actions">
          <button type="button" disabled={toggle.isPending} onClick={() => toggle.mutate()}>
            {rule.active ? `Switch off ${rule.name}` : `Switch on ${rule.name}`}
          </button>
          <button type="button" onClick={onEdit}>
            Edit
          </button>
          <button type="button" aria-expanded={runs} onClick={() => setRuns((r) => !r)}>
            Runs
          </button>
          <ErrorBox error={toggle.error} />
        </td>
      </tr>
      {runs && (
        <tr>
          <td colSpan={5}>
            <Runs ruleId={rule.id} />
          </td>
        </tr>
      )}
    </>
  );
}

export function RulesPage() {
  const rules = useQuery({
    queryKey: ['automation-rules'],
    queryFn: () => unwrap(api.GET('/api/v1/automation-rules', { params: { query: { limit: 200 } } })),
  });
  const [editing, setEditing] = useState<Rule | 'new' | undefined>();
  return (
    <section aria-labelledby="rules-title">
      <h1 id="rules-title">Automation rules</h1>
      <ErrorBox error={rules.error} />
      {rules.isPending && <Loading what="rules" />}
      {rules.data && (
        <table aria-label="Rules">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Rule</th>
              <th scope="col">Trigger</th>
              <th scope="col">Counters</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {rules.data.items.map((r) => (
              <RuleRow key={r.id} rule={r} onEdit={() => setEditing(r)} />
            ))}
          </tbody>
        </table>
      )}
      {editing ? (
        <RuleEditor
          key={editing === 'new' ? 'new' : `${editing.id}:${editing.version}`}
          rule={editing === 'new' ? undefined : editing}
          onDone={() => setEditing(undefined)}
        />
      ) : (
        <button type="button" onClick={() => setEditing('new')}>
          New rule
        </button>
      )}
    </section>
  );
}
