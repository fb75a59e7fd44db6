// Loaded before anything else (first import of main.ts) so that http, express and grpc get instrumented.
import { startServiceTelemetry } from '@helpdesk/telemetry';
import { loadTelemetryConfig } from './config';

export const telemetry = startServiceTelemetry('gateway', () => loadTelemetryConfig());
