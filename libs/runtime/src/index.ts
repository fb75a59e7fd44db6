export { runMain, type MainOptions } from './run-main';
export {
  runService,
  type Composition,
  type OutboxNotifier,
  type PrismaLike,
  type RunningService,
  type RuntimeOptions,
  type ServiceContext,
  type ServiceRuntimeConfig,
  type ServiceSpec,
} from './run-service';
export { startRounds, type Rounds, type RoundsOptions } from './rounds';
export { DueTimer, type DueBatch, type DueTimerOptions } from './due-timer';
export { PgListener, type ListenerSubscription } from './pg-listener';
export { observeDueTimers, type DueTimerMetricsOptions } from './due-timer.metrics';
