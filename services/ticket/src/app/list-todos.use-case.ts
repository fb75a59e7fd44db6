import { cursorDate, cursorUuid, decodeOpaque, encodeOpaque, invalidArgument } from '@helpdesk/platform';
import type { Todo, TodoState } from '../domain/todo';
import type { TodoRepository } from './ports';
import { pageCursor, pageLimit } from './page';

/** GET /me/todos: a user's to-dos, newest first; `open` by default. */
export class ListTodosUseCase {
  constructor(private readonly todos: TodoRepository) {}

  async execute(input: {
    tenantId: string;
    userId: string;
    state?: string;
    limit?: number;
    cursor?: string;
  }): Promise<{ items: Todo[]; nextCursor: string | null }> {
    const limit = pageLimit(input.limit);
    const state = input.state || 'open';
    if (state !== 'open' && state !== 'done' && state !== 'all') {
      throw invalidArgument('state must be open, done or all', [{ path: ['state'], message: 'unknown' }]);
    }
    const states: TodoState[] = state === 'all' ? ['open', 'done'] : [state];
    const after = pageCursor(input.cursor, (raw) => {
      const o = decodeOpaque(raw);
      return { createdAt: cursorDate(o.t), id: cursorUuid(o.i) };
    });
    const rows = await this.todos.list({
      tenantId: input.tenantId,
      userId: input.userId,
      states,
      limit: limit + 1,
      after,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page,
      nextCursor:
        rows.length > limit && last ? encodeOpaque({ t: last.createdAt.toISOString(), i: last.id }) : null,
    };
  }
}
