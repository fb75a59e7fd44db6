import { telemetry } from './instrumentation';
import { runMain } from '@helpdesk/runtime';
import { loadTicketConfig } from './config';
import { buildTicketService } from './ticket-service';

void runMain('ticket', loadTicketConfig, (config, deps) => buildTicketService(config, deps), { telemetry });
