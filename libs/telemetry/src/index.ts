export {
  samplerFor,
  setRequestTenant,
  startServiceTelemetry,
  startTelemetry,
  type SamplerName,
  type Telemetry,
  type TelemetryConfig,
  type TelemetryOptions,
} from './sdk';
export { outsideTrace } from './trace-context';
export { DURATION_BUCKETS_S, lazyInstruments, metricsHandler, type MetricsHandler } from './metrics';
