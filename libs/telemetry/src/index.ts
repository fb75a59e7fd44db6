export { startTelemetry, type Telemetry, type TelemetryOptions } from './sdk';
export { outsideTrace } from './trace-context';
