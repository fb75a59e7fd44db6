import { telemetry } from './instrumentation';
import { runMain } from '@helpdesk/runtime';
import { loadTimekeepingConfig } from './config';
import { buildTimekeepingService } from './timekeeping-service';

void runMain('timekeeping', loadTimekeepingConfig, (config, deps) => buildTimekeepingService(config, deps), {
  telemetry,
});
