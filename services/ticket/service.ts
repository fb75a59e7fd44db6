// What the launchers, skaffold.yaml and the chart's values know of ticket (libs/platform ServiceManifest).
import type { ServiceManifest } from '@helpdesk/platform';
import { ticketConfigSchema } from './src/config';

export const ticketService: ServiceManifest = {
  name: 'ticket',
  entry: 'src/main.ts',
  ports: {
    grpc: { env: 'GRPC_PORT', default: 50052, localVariable: 'TICKET_GRPC_PORT' },
    health: { env: 'HEALTH_PORT', default: 9102, localVariable: 'TICKET_HEALTH_PORT' },
  },
  readiness: { port: 'health', path: '/readyz' },
  database: 'ticket',
  dependsOn: [],
  streams: { owns: ['ticket'], consumes: ['identity', 'sla', 'time'] },
  peers: {},
  secrets: {},
  // attachments, when BLOB_STORE=local
  dataDirs: { BLOB_DIR: 'blobs' },
  configSchema: ticketConfigSchema,
};
