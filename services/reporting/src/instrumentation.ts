// Loaded first by main.ts: OpenTelemetry must patch http, grpc and pg before anything imports them.
import { startTelemetry } from '@helpdesk/telemetry';
import { loadReportingConfig } from './config';

function otlpEndpoint(): string | undefined {
  try {
    return loadReportingConfig().OTEL_EXPORTER_OTLP_ENDPOINT;
  } catch {
    // main.ts loads the configuration again and reports every invalid variable as a fatal log line
    return undefined;
  }
}

export const telemetry = startTelemetry({ serviceName: 'reporting', otlpEndpoint: otlpEndpoint() });
