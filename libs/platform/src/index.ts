export {
  ConfigError,
  loadConfig,
  busEnv,
  busPrefix,
  commonEnv,
  grpcAddress,
  grpcServerEnv,
  grpcServerLimits,
  port,
  urlString,
} from './config';
export {
  cursorDate,
  cursorUuid,
  decodeKeysetCursor,
  decodeOpaque,
  decodeSeqCursor,
  encodeKeysetCursor,
  encodeOpaque,
  encodeSeqCursor,
  InvalidCursorError,
  isUuid,
  type KeysetPosition,
} from './keyset-cursor';
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
export { checkVersion, patched, staleWrite } from './versioning';
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
export { AdmissionLimiter, type AdmissionLimits, type ReleaseSlot } from './admission';
export {
  manifestEnv,
  manifestProblems,
  readinessUrl,
  type ManifestPort,
  type ManifestPortName,
  type ManifestSecret,
  type ManifestWiring,
  type ServiceManifest,
} from './manifest';
export { startTcpBalancer, type TcpBalancer, type TcpBalancerOptions } from './tcp-balancer';
export { readableSize } from './byte-size';
