// Merging a ticket into another (SPEC §9 POST /tickets/:id/merge): its thread moves to the other ticket, it closes
// and points there. The agent finds the other ticket by number or words, and confirms.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { unwrap, type Schemas } from '../api/client';
import { ErrorBox } from '../shared/ui';
import { api } from './state';

type Ticket = Schemas['Ticket'];

export function MergePanel({ ticket }: { ticket: Ticket }) {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [query, setQuery] = useState('');
  const [searched, setSearched] = useState('');
  const [into, setInto] = useState<Ticket>();
  const found = useQuery({
    queryKey: ['tickets', 'merge-search', searched],
    enabled: searched !== '',
    // the API's search takes "#1042" or "1042" as a ticket number too
    queryFn: async () =>
      (
        await unwrap(
          api.GET('/api/v1/tickets', { params: { query: { q: searched, limit: 20, sort: 'relevance' } } }),
        )
      ).items.filter((t) => t.id !== ticket.id && !t.mergedIntoId),
  });
  const merge = useMutation({
    mutationFn: (target: Ticket) =>
      unwrap(
        api.POST('/api/v1/tickets/{id}/merge', {
          params: { path: { id: ticket.id } },
          body: { intoTicketId: target.id },
        }),
      ),
    onSuccess: (answer) => {
      queryClient.setQueryData(['ticket', ticket.id], answer.ticket);
      queryClient.setQueryData(['ticket', answer.into.id], answer.into);
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
      navigate(`/tickets/${answer.into.id}`);
    },
  });
  if (ticket.mergedIntoId)
    return (
      <p>
        Merged into <Link href={`/tickets/${ticket.mergedIntoId}`}>the other ticket</Link>.
      </p>
    );
  const search = (e: FormEvent) => {
    e.preventDefault();
    setInto(undefined);
    setSearched(query.trim());
  };
  return (
    <details className="merge">
      <summary>Merge into another ticket</summary>
      <form onSubmit={search} className="row" role="search" aria-label="Find the ticket to merge into">
        <label>
          Ticket number or words
          <input value={query} onChange={(e) => setQuery(e.target.value)} />
        </label>
        <button type="submit">Find</button>
      </form>
      <ErrorBox error={found.error ?? merge.error} />
      {found.data?.length === 0 && <p className="muted">No other open ticket matches.</p>}
      {found.data && found.data.length > 0 && (
        <fieldset>
          <legend>Merge into</legend>
          {found.data.map((t) => (
            <label key={t.id} className="inline">
              <input type="radio" name="merge-into" checked={into?.id === t.id} onChange={() => setInto(t)} />
              #{t.number} {t.title}
            </label>
          ))}
        </fieldset>
      )}
      {into && (
        <button type="button" disabled={merge.isPending} onClick={() => merge.mutate(into)}>
          Merge #{ticket.number} into #{into.number}
        </button>
      )}
    </details>
  );
}
