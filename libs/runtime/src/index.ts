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
