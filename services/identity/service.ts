// What the launchers, skaffold.yaml and the chart's values know of identity (libs/platform ServiceManifest).
import type { ServiceManifest } from '@helpdesk/platform';
import { identityConfigSchema, seedDemoConfigSchema } from './src/config';

export const identityService: ServiceManifest = {
  name: 'identity',
  entry: 'src/main.ts',
  ports: {
    grpc: { env: 'GRPC_PORT', default: 50051, localVariable: 'IDENTITY_GRPC_PORT' },
    health: { env: 'HEALTH_PORT', default: 9101, localVariable: 'IDENTITY_HEALTH_PORT' },
  },
  readiness: { port: 'health', path: '/readyz' },
  database: 'identity',
  dependsOn: [],
  streams: { owns: ['identity'], consumes: [] },
  peers: {},
  secrets: { HELPDESK_JWT_SECRET: 'jwtSecret' },
  configSchema: identityConfigSchema,
  seed: { entry: 'src/seed-demo.ts', configSchema: seedDemoConfigSchema },
};
