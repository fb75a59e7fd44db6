import { telemetry } from './instrumentation';
import { runMain } from '@helpdesk/runtime';
import { loadIdentityConfig } from './config';
import { startIdentityService } from './identity-service';

void runMain('identity', loadIdentityConfig, (config, deps) => startIdentityService(config, deps), {
  telemetry,
});
