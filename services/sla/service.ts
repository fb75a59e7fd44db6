// What the launchers, skaffold.yaml and the chart's values know of sla (libs/platform ServiceManifest).
import type { ServiceManifest } from '@helpdesk/platform';
import { slaConfigSchema } from './src/config';

export const slaService: ServiceManifest = {
  name: 'sla',
  entry: 'src/main.ts',
  ports: {
    grpc: { env: 'GRPC_PORT', default: 50054, localVariable: 'SLA_GRPC_PORT' },
    health: { env: 'HEALTH_PORT', default: 9104, localVariable: 'SLA_HEALTH_PORT' },
  },
  readiness: { port: 'health', path: '/readyz' },
  database: 'sla',
  dependsOn: [],
  streams: { owns: ['sla'], consumes: ['ticket', 'identity'] },
  peers: {},
  secrets: {},
  configSchema: slaConfigSchema,
};
