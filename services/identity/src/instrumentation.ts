// Loaded first by main.ts so that OpenTelemetry patches http, grpc and pg before they are required.
import { startTelemetry } from '@helpdesk/telemetry';
import { loadTelemetryConfig } from './config';

const config = loadTelemetryConfig();

export const telemetry = startTelemetry({
  serviceName: 'identity',
  otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
});
