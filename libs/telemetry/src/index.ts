export { startTelemetry, type Telemetry, type TelemetryOptions } from './sdk';
export { outsideTrace } from './trace-context';
export { DURATION_BUCKETS_S, lazyInstruments, metricsHandler, type MetricsHandler } from './metrics';
