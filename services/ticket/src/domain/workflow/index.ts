// Public API of the ticket status workflow (SPEC §2): pure rules, used by the ticket use cases.
export * from './ticket-status';
export * from './workflow-state';
export * from './workflow-event';
export * from './workflow-settings';
export * from './apply-workflow-event';
