// Public API of the ticket status workflow (docs/product/tickets.md "Status workflow"):
// pure rules, used by the ticket use cases.
export * from './ticket-status';
export * from './workflow-state';
export * from './workflow-event';
export * from './workflow-settings';
export * from './apply-workflow-event';
