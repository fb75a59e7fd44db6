// The reports page (SPEC §9, docs/product/reports.md): the overview of a period, for the whole tenant or one client,
// drawn as bar charts, and the SLA report grouped by client, priority, assignee or team, with its CSV download.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../api/errors';
import { unwrap, type Schemas } from '../api/client';
import { label } from '../lib/tickets';
import { localDay } from '../lib/time';
import { ErrorBox, Loading, NamedOptions } from '../shared/ui';
import { useClients, useTeams, useUsers } from './lookups';
import { agentSession, api } from './state';

type GroupBy = 'client' | 'priority' | 'assignee' | 'team';
type Compliance = Schemas['SlaTargetCompliance'];
type Minutes = Schemas['MinutesSummary'];

const REFRESH_MS = 15_000;
const percent = (c: Compliance) => (c.compliancePercent === null ? '–' : `${c.compliancePercent} %`);
const minutes = (m: Minutes) =>
  m.count === 0 ? '–' : `${m.median ?? '–'} min median, ${m.p90 ?? '–'} min p90 (${m.count})`;

/** A bar chart of one count per day, as an SVG drawn from the numbers (no script, no inline style). */
function DayBars({ title, days }: { title: string; days: { date: string; value: number }[] }) {
  const max = Math.max(1, ...days.map((d) => d.value));
  const width = Math.max(days.length * 14, 140);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} 110`} role="img" aria-label={title}>
        {days.map((d, i) => {
          const h = Math.round((d.value / max) * 90);
          return (
            <rect key={d.date} x={i * 14 + 2} y={100 - h} width={10} height={h} className="bar">
              <title>{`${d.date}: ${d.value}`}</title>
            </rect>
          );
        })}
        <line x1={0} y1={100} x2={width} y2={100} className="axis" />
      </svg>
      <table className="sr-only">
        <tbody>
          {days.map((d) => (
            <tr key={d.date}>
              <th scope="row">{d.date}</th>
              <td>{d.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** Downloads the CSV form of the SLA report with the session's token (a link could not carry the header). */
async function downloadCsv(query: { groupBy: GroupBy; from: string; to: string }): Promise<void> {
  const params = new URLSearchParams({ ...query, format: 'csv' });
  const res = await fetch(`/api/v1/reports/sla?${params.toString()}`, {
    headers: { Authorization: `Bearer ${agentSession.get() ?? ''}` },
  });
  if (!res.ok) throw ApiError.from(res.status, await res.json().catch(() => undefined));
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `sla-${query.groupBy}-${query.from}-${query.to}.csv`;
  a.click();
  URL.revokeObjectURL(url);
}

export function ReportsPage() {
  const today = new Date();
  const [from, setFrom] = useState(localDay(new Date(today.getTime() - 29 * 86_400_000)));
  const [to, setTo] = useState(localDay(today));
  const [clientId, setClientId] = useState('');
  const [groupBy, setGroupBy] = useState<GroupBy>('client');
  const [csvError, setCsvError] = useState<unknown>();
  const clients = useClients();
  const users = useUsers();
  const teams = useTeams();
  // the read model follows the events within moments: a page left open looks again now and then
  const overview = useQuery({
    queryKey: ['reports', 'overview', { from, to, clientId }],
    refetchInterval: REFRESH_MS,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/reports/overview', {
          params: { query: { from, to, ...(clientId ? { clientId } : {}) } },
        }),
      ),
  });
  const sla = useQuery({
    queryKey: ['reports', 'sla', { from, to, groupBy }],
    refetchInterval: REFRESH_MS,
    queryFn: async (): Promise<Schemas['SlaReport']> => {
      const report = await unwrap(
        api.GET('/api/v1/reports/sla', { params: { query: { from, to, groupBy } } }),
      );
      // the route also answers text/csv (format=csv); asked without it, it answers JSON
      if (typeof report === 'string') throw new Error('the SLA report came as text, not JSON');
      return report;
    },
  });
  const nameOf = (item: Schemas['SlaReport']['items'][number]): string => {
    if ('clientId' in item)
      return (
        clients.data?.find((c) => c.id === item.clientId)?.name ??
        (item.clientId ? item.clientId : 'No client')
      );
    if ('assigneeId' in item)
      return (
        users.data?.find((u) => u.id === item.assigneeId)?.name ??
        (item.assigneeId ? item.assigneeId : 'Unassigned')
      );
    if ('teamId' in item)
      return teams.data?.find((t) => t.id === item.teamId)?.name ?? (item.teamId ? item.teamId : 'No team');
    return label(item.priority);
  };
  const o = overview.data;
  return (
    <section aria-labelledby="reports-title">
      <h1 id="reports-title">Reports</h1>
      <form className="filters" aria-label="Period" onSubmit={(e) => e.preventDefault()}>
        <label>
          From
          <input type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To
          <input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label>
          Client
          <select value={clientId} onChange={(e) => setClientId(e.target.value)}>
            <option value="">All clients</option>
            <NamedOptions items={clients.data} />
          </select>
        </label>
      </form>
      <ErrorBox error={overview.error} />
      {overview.isLoading && <Loading what="the overview" />}
      {o && (
        <>
          <dl className="figures" aria-label="Overview">
            <div>
              <dt>Created</dt>
              <dd>{o.createdByDay.reduce((n, d) => n + d.count, 0)}</dd>
            </div>
            <div>
              <dt>Resolved</dt>
              <dd>{o.resolvedByDay.reduce((n, d) => n + d.count, 0)}</dd>
            </div>
            <div>
              <dt>First response SLA</dt>
              <dd>{percent(o.sla.firstResponse)}</dd>
            </div>
            <div>
              <dt>Resolution SLA</dt>
              <dd>{percent(o.sla.resolution)}</dd>
            </div>
            <div>
              <dt>First response</dt>
              <dd>{minutes(o.firstResponseMinutes)}</dd>
            </div>
            <div>
              <dt>First response (business)</dt>
              <dd>{minutes(o.firstResponseBusinessMinutes)}</dd>
            </div>
            <div>
              <dt>Satisfaction</dt>
              <dd>{o.csat.count === 0 ? '–' : `${o.csat.average ?? '–'} / 5 (${o.csat.count})`}</dd>
            </div>
          </dl>
          <div className="charts">
            <DayBars
              title="Created per day"
              days={o.createdByDay.map((d) => ({ date: d.date, value: d.count }))}
            />
            <DayBars
              title="Resolved per day"
              days={o.resolvedByDay.map((d) => ({ date: d.date, value: d.count }))}
            />
            <DayBars
              title="Open at the end of each day"
              days={o.backlogByDay.map((d) => ({ date: d.date, value: d.open }))}
            />
          </div>
          <div className="row">
            <table className="compact" aria-label="Open by status">
              <tbody>
                {Object.entries(o.openByStatus).map(([status, count]) => (
                  <tr key={status}>
                    <th scope="row">{label(status)}</th>
                    <td>{count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table className="compact" aria-label="Open by priority">
              <tbody>
                {Object.entries(o.openByPriority).map(([priority, count]) => (
                  <tr key={priority}>
                    <th scope="row">{label(priority)}</th>
                    <td>{count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <h2>SLA compliance</h2>
      <div className="filters">
        <label>
          Group by
          <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as GroupBy)}>
            {(['client', 'priority', 'assignee', 'team'] as const).map((g) => (
              <option key={g} value={g}>
                {label(g)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => {
            setCsvError(undefined);
            downloadCsv({ groupBy, from, to }).catch(setCsvError);
          }}
        >
          Download CSV
        </button>
      </div>
      <ErrorBox error={sla.error ?? csvError} />
      {sla.data && (
        <table className="tickets" aria-label="SLA compliance">
          <thead>
            <tr>
              <th scope="col">{label(groupBy)}</th>
              <th scope="col">Tickets</th>
              <th scope="col">First response met</th>
              <th scope="col">Resolution met</th>
              <th scope="col">First response</th>
            </tr>
          </thead>
          <tbody>
            {sla.data.items.map((item) => (
              <tr key={nameOf(item)}>
                <td>{nameOf(item)}</td>
                <td>{item.tickets}</td>
                <td>
                  {percent(item.firstResponse)} ({item.firstResponse.met}/
                  {item.firstResponse.met + item.firstResponse.breached})
                </td>
                <td>
                  {percent(item.resolution)} ({item.resolution.met}/
                  {item.resolution.met + item.resolution.breached})
                </td>
                <td>{minutes(item.firstResponseMinutes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
