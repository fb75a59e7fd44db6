import { telemetry } from './instrumentation';
import { runMain } from '@helpdesk/runtime';
import { loadAutomationConfig } from './config';
import { buildAutomationService } from './automation-service';

void runMain('automation', loadAutomationConfig, (config, deps) => buildAutomationService(config, deps), {
  telemetry,
});
