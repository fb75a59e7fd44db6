import { telemetry } from './instrumentation';
import { runMain } from '@helpdesk/runtime';
import { loadReportingConfig } from './config';
import { buildReportingService } from './reporting-service';

void runMain('reporting', loadReportingConfig, (config, deps) => buildReportingService(config, deps), {
  telemetry,
});
