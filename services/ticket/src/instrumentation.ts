// Loaded first by main.ts: OpenTelemetry must patch http, grpc and pg before anything imports them.
import { startServiceTelemetry } from '@helpdesk/telemetry';
import { loadTicketConfig } from './config';

export const telemetry = startServiceTelemetry('ticket', () => loadTicketConfig());
