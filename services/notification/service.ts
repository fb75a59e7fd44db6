// What the launchers, skaffold.yaml and the chart's values know of notification (libs/platform ServiceManifest).
import type { ServiceManifest } from '@helpdesk/platform';
import { notificationConfigSchema } from './src/config';

export const notificationService: ServiceManifest = {
  name: 'notification',
  entry: 'src/main.ts',
  ports: {
    grpc: { env: 'GRPC_PORT', default: 50056, localVariable: 'NOTIFICATION_GRPC_PORT' },
    health: { env: 'HEALTH_PORT', default: 9106, localVariable: 'NOTIFICATION_HEALTH_PORT' },
  },
  readiness: { port: 'health', path: '/readyz' },
  database: 'notification',
  dependsOn: [],
  // webhooks deliver the events of every stream they consume but notify's own (docs/product/webhooks.md)
  streams: { owns: ['notify'], consumes: ['mail', 'ticket', 'identity', 'sla', 'automation', 'time'] },
  peers: { TICKET_GRPC_URL: 'ticket', MAIL_GRPC_URL: 'mail-ingest', IDENTITY_GRPC_URL: 'identity' },
  secrets: { MAIL_MESSAGE_ID_SECRET: 'messageIdSecret', WEBHOOK_SECRET_KEY: 'mailSecretKey' },
  configSchema: notificationConfigSchema,
};
