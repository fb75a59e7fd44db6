// An assignee's to-do for a ticket (docs/product/tickets.md "Assignment"). Pure: no I/O.
export const TODO_STATES = ['open', 'done'] as const;
export type TodoState = (typeof TODO_STATES)[number];

export interface Todo {
  id: string;
  tenantId: string;
  userId: string;
  ticketId: string;
  ticketNumber: number;
  ticketTitle: string;
  state: TodoState;
  createdAt: Date;
  doneAt: Date | null;
}
