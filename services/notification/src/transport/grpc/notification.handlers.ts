import { randomUUID } from 'node:crypto';
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { notificationV1 } from '@helpdesk/contracts';
import { unary } from '@helpdesk/grpc';
import { notFound, type Logger } from '@helpdesk/platform';
import { z } from 'zod';
import type { OutboundQueue } from '../../app/ports';
import { magicLink } from '../../domain/compose';

const tenantId = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a uuid');
const magicLinkSchema = z.object({
  tenantId,
  email: z.string().trim().toLowerCase().max(320).pipe(z.email()),
  name: z.string().trim().max(200),
  linkUrl: z.url().max(2000),
  expiresAt: z.date(),
  dedupeKey: z.string().max(200),
});
const byIdSchema = z.object({ tenantId, id: z.string().max(100) });

export function notificationHandlers(deps: {
  queue: OutboundQueue;
  wake(): void;
  logger: Logger;
}): notificationV1.NotificationServiceServer & UntypedServiceImplementation {
  const { logger } = deps;
  return {
    sendPortalMagicLink: unary(async (request: notificationV1.SendPortalMagicLinkRequest) => {
      const input = magicLinkSchema.parse(request);
      const composed = magicLink(input.linkUrl, input.expiresAt, input.name);
      const id = randomUUID();
      const dedupeKey = `magic_link:${input.dedupeKey || id}`;
      await deps.queue.insert(
        {
          id,
          tenantId: input.tenantId,
          dedupeKey,
          kind: 'magic_link',
          status: 'pending',
          reason: null,
          ticketId: null,
          mailboxId: null,
          to: [input.email],
          cc: [],
          subject: composed.subject,
          bodyText: composed.text,
          bodyHtml: null,
          messageId: '',
          inReplyTo: null,
          references: [],
          attachments: [],
          automatic: true,
          traceparent: null,
          attempts: 0,
          recordedAt: null,
        },
        new Date(),
      );
      deps.wake();
      logger.info({ tenantId: input.tenantId, outboundId: id }, 'magic-link mail queued');
      return { outboundId: id };
    }, logger),

    getOutboundMail: unary(async (request: notificationV1.GetOutboundMailRequest) => {
      const input = byIdSchema.parse(request);
      const mail = await deps.queue.get(input.tenantId, input.id);
      if (!mail) throw notFound('outbound mail');
      return {
        mail: {
          id: mail.id,
          kind: mail.kind,
          status: mail.status,
          reason: mail.reason ?? '',
          to: mail.to,
          subject: mail.subject,
          messageId: mail.messageId,
          ticketId: mail.ticketId ?? '',
        },
      };
    }, logger),
  };
}
