import { telemetry } from './instrumentation';
import { runMain } from '@helpdesk/runtime';
import { loadNotificationConfig } from './config';
import { buildNotificationService } from './notification-service';

void runMain(
  'notification',
  loadNotificationConfig,
  (config, deps) => buildNotificationService(config, deps),
  {
    telemetry,
  },
);
