// Loaded first by main.ts: OpenTelemetry must patch http, grpc and pg before anything imports them.
import { startServiceTelemetry } from '@helpdesk/telemetry';
import { loadTimekeepingConfig } from './config';

export const telemetry = startServiceTelemetry('timekeeping', () => loadTimekeepingConfig());
