// What the launchers, skaffold.yaml and the chart's values know of reporting (libs/platform ServiceManifest).
import type { ServiceManifest } from '@helpdesk/platform';
import { reportingConfigSchema } from './src/config';

export const reportingService: ServiceManifest = {
  name: 'reporting',
  entry: 'src/main.ts',
  ports: {
    grpc: { env: 'GRPC_PORT', default: 50058, localVariable: 'REPORTING_GRPC_PORT' },
    health: { env: 'HEALTH_PORT', default: 9108, localVariable: 'REPORTING_HEALTH_PORT' },
  },
  readiness: { port: 'health', path: '/readyz' },
  database: 'reporting',
  dependsOn: [],
  // a read model of events only: no stream of its own
  streams: { owns: [], consumes: ['ticket', 'sla', 'identity'] },
  peers: {},
  secrets: {},
  configSchema: reportingConfigSchema,
};
