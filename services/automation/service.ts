// What the launchers, skaffold.yaml and the chart's values know of automation (libs/platform ServiceManifest).
import type { ServiceManifest } from '@helpdesk/platform';
import { automationConfigSchema } from './src/config';

export const automationService: ServiceManifest = {
  name: 'automation',
  entry: 'src/main.ts',
  ports: {
    grpc: { env: 'GRPC_PORT', default: 50057, localVariable: 'AUTOMATION_GRPC_PORT' },
    health: { env: 'HEALTH_PORT', default: 9107, localVariable: 'AUTOMATION_HEALTH_PORT' },
  },
  readiness: { port: 'health', path: '/readyz' },
  database: 'automation',
  dependsOn: [],
  streams: { owns: ['automation'], consumes: ['ticket', 'sla', 'identity'] },
  peers: {
    TICKET_GRPC_URL: 'ticket',
    IDENTITY_GRPC_URL: 'identity',
    SLA_GRPC_URL: 'sla',
    NOTIFICATION_GRPC_URL: 'notification',
  },
  secrets: {},
  configSchema: automationConfigSchema,
};
