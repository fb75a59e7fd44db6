export * from './ticket-settings';
