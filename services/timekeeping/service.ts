// What the launchers, skaffold.yaml and the chart's values know of timekeeping (libs/platform ServiceManifest).
import type { ServiceManifest } from '@helpdesk/platform';
import { timekeepingConfigSchema } from './src/config';

export const timekeepingService: ServiceManifest = {
  name: 'timekeeping',
  entry: 'src/main.ts',
  ports: {
    grpc: { env: 'GRPC_PORT', default: 50055, localVariable: 'TIMEKEEPING_GRPC_PORT' },
    health: { env: 'HEALTH_PORT', default: 9105, localVariable: 'TIMEKEEPING_HEALTH_PORT' },
  },
  readiness: { port: 'health', path: '/readyz' },
  database: 'timekeeping',
  dependsOn: [],
  streams: { owns: ['time'], consumes: ['ticket'] },
  peers: {},
  secrets: {},
  configSchema: timekeepingConfigSchema,
};
