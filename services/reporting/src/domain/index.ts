export * from './aggregates';
export * from './backlog';
export * from './period';
export * from './stats';
export * from './ticket';
