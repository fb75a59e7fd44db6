// Loaded first by main.ts: OpenTelemetry must patch http, grpc and pg before anything imports them.
import { startServiceTelemetry } from '@helpdesk/telemetry';
import { loadNotificationConfig } from './config';

export const telemetry = startServiceTelemetry('notification', () => loadNotificationConfig());
