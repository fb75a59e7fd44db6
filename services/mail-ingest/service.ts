// What the launchers, skaffold.yaml and the chart's values know of mail-ingest (libs/platform ServiceManifest).
import type { ServiceManifest } from '@helpdesk/platform';
import { mailIngestConfigSchema } from './src/config';

export const mailIngestService: ServiceManifest = {
  name: 'mail-ingest',
  entry: 'src/main.ts',
  ports: {
    grpc: { env: 'GRPC_PORT', default: 50053, localVariable: 'MAIL_GRPC_PORT' },
    health: { env: 'HEALTH_PORT', default: 9103, localVariable: 'MAIL_HEALTH_PORT' },
  },
  readiness: { port: 'health', path: '/readyz' },
  database: 'mail_ingest',
  dependsOn: [],
  streams: { owns: ['mail'], consumes: [] },
  peers: { TICKET_GRPC_URL: 'ticket' },
  secrets: { MAIL_SECRET_KEY: 'mailSecretKey', MAIL_MESSAGE_ID_SECRET: 'messageIdSecret' },
  configSchema: mailIngestConfigSchema,
};
