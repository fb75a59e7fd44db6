export { ConfigError, loadConfig, commonEnv, port, urlString, grpcAddress, busPrefix } from './config';
export { createLogger, REDACT_PATHS, type Logger } from './logger';
export {
  DomainError,
  ERROR_CODES,
  isDomainError,
  isErrorCode,
  notFound,
  invalidArgument,
  alreadyExists,
  conflict,
  failedPrecondition,
  unauthenticated,
  permissionDenied,
  rateLimited,
  payloadTooLarge,
  unavailable,
  internal,
  type ErrorCode,
} from './errors';
export { createShutdown, type Shutdown } from './shutdown';
export {
  startHealthServer,
  readinessHandler,
  livenessHandler,
  runChecks,
  type HealthCheck,
  type HealthChecks,
  type HealthServerOptions,
  type MinimalResponse,
} from './health-server';
