export { startTelemetry, type Telemetry, type TelemetryOptions } from './sdk';
export { tracer, currentTraceparent, contextFromTraceparent, outsideTrace } from './trace-context';
