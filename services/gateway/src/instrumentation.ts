// Loaded before anything else (first import of main.ts) so that http, express and grpc get instrumented.
import { startTelemetry } from '@helpdesk/telemetry';
import { loadTelemetryConfig } from './config';

const { OTEL_EXPORTER_OTLP_ENDPOINT } = loadTelemetryConfig();

export const telemetry = startTelemetry({
  serviceName: 'gateway',
  ...(OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
});
