// Loaded first by main.ts so that OpenTelemetry patches http, grpc and pg before they are required.
import { startServiceTelemetry } from '@helpdesk/telemetry';
import { loadTelemetryConfig } from './config';

export const telemetry = startServiceTelemetry('identity', () => loadTelemetryConfig());
