import { telemetry } from './instrumentation';
import { runMain } from '@helpdesk/runtime';
import { loadSlaConfig } from './config';
import { buildSlaService } from './sla-service';

void runMain('sla', loadSlaConfig, (config, deps) => buildSlaService(config, deps), { telemetry });
