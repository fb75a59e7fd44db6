// What the launchers, skaffold.yaml and the chart's values know of the gateway (libs/platform ServiceManifest).
import type { ServiceManifest } from '@helpdesk/platform';
import { gatewayEnvSchema } from './src/config';

export const gatewayService: ServiceManifest = {
  name: 'gateway',
  entry: 'src/main.ts',
  // /healthz and /readyz on both ports; /metrics on the health port only, which no ingress routes to
  ports: {
    http: { env: 'PORT', default: 8080, localVariable: 'PORT' },
    health: { env: 'HEALTH_PORT', default: 9109, localVariable: 'GATEWAY_HEALTH_PORT' },
  },
  readiness: { port: 'http', path: '/readyz' },
  dependsOn: [],
  streams: { owns: [], consumes: ['notify', 'ticket'] },
  peers: {
    IDENTITY_GRPC_URL: 'identity',
    TICKET_GRPC_URL: 'ticket',
    TIMEKEEPING_GRPC_URL: 'timekeeping',
    SLA_GRPC_URL: 'sla',
    MAIL_GRPC_URL: 'mail-ingest',
    NOTIFICATION_GRPC_URL: 'notification',
    AUTOMATION_GRPC_URL: 'automation',
    REPORTING_GRPC_URL: 'reporting',
  },
  secrets: { HELPDESK_JWT_SECRET: 'jwtSecret', HELPDESK_OPERATOR_TOKEN: 'operatorToken' },
  redis: { url: 'REDIS_URL', keyPrefix: 'REDIS_KEY_PREFIX' },
  configSchema: gatewayEnvSchema,
};
