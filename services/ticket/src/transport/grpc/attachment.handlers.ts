import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { attachmentV1 } from '@helpdesk/contracts';
import { clientStreaming, serverStreaming, unary } from '@helpdesk/grpc';
import { invalidArgument, type Logger } from '@helpdesk/platform';
import { z } from 'zod';
import type { AttachmentUseCases } from '../../app/attachments.use-case';
import { toProtoAttachment } from '../ticket.mapper';
import { actor, optionalActor, optionalUuid, tenantId } from './common.schemas';

const headerSchema = z.object({
  tenantId,
  actor,
  ticketId: optionalUuid,
  filename: z.string().max(1000),
  contentType: z.string().max(300),
  contentId: z.string().max(998),
  inline: z.boolean(),
  declaredSize: z.number().int().min(0),
});

const readSchema = z.object({ tenantId, actor: optionalActor, id: z.string().max(100) });

/** The first message names the file; every later one carries the next bytes. */
async function splitUpload(requests: AsyncIterable<attachmentV1.UploadAttachmentRequest>) {
  const iterator = requests[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done || first.value.part?.$case !== 'header') {
    throw invalidArgument('an upload starts with its header');
  }
  async function* chunks(): AsyncIterable<Buffer> {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      if (next.value.part?.$case !== 'chunk') throw invalidArgument('only content may follow the header');
      yield next.value.part.value;
    }
  }
  return { header: headerSchema.parse(first.value.part.value), chunks: chunks() };
}

/** AttachmentService: uploads streamed into the blob store, downloads streamed out of it. */
export function attachmentHandlers(deps: {
  attachments: AttachmentUseCases;
  logger: Logger;
}): attachmentV1.AttachmentServiceServer & UntypedServiceImplementation {
  const { logger } = deps;
  return {
    uploadAttachment: clientStreaming<
      attachmentV1.UploadAttachmentRequest,
      attachmentV1.UploadAttachmentResponse
    >(async (requests) => {
      const { header, chunks } = await splitUpload(requests);
      const attachment = await deps.attachments.upload(
        { ...header, ticketId: header.ticketId, contentId: header.contentId || undefined },
        chunks,
      );
      logger.info(
        { tenantId: attachment.tenantId, attachmentId: attachment.id, size: attachment.size },
        'attachment stored',
      );
      return { attachment: toProtoAttachment(attachment) };
    }, logger),

    getAttachment: unary<attachmentV1.GetAttachmentRequest, attachmentV1.GetAttachmentResponse>(
      async (request) => {
        const r = readSchema.parse(request);
        return { attachment: toProtoAttachment(await deps.attachments.get(r.tenantId, r.actor, r.id)) };
      },
      logger,
    ),

    downloadAttachment: serverStreaming<
      attachmentV1.DownloadAttachmentRequest,
      attachmentV1.DownloadAttachmentResponse
    >(async (request, send) => {
      const r = readSchema.parse(request);
      const { attachment, content } = await deps.attachments.download(r.tenantId, r.actor, r.id);
      try {
        await send({ part: { $case: 'attachment', value: toProtoAttachment(attachment) } });
        for await (const chunk of content as AsyncIterable<Buffer>) {
          await send({ part: { $case: 'chunk', value: chunk } });
        }
      } finally {
        content.destroy();
      }
    }, logger),
  };
}
