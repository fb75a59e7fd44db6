import { telemetry } from './instrumentation';
import { runMain } from '@helpdesk/runtime';
import { loadMailIngestConfig } from './config';
import { buildMailIngestService } from './mail-ingest-service';

void runMain('mail-ingest', loadMailIngestConfig, (config, deps) => buildMailIngestService(config, deps), {
  telemetry,
});
