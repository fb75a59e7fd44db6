import { attachmentV1, commonV1 } from '@helpdesk/contracts';
import { createStreamingClient, receiveStream } from '@helpdesk/grpc';
import type { AttachmentSource } from '../app/ports';

/** AttachmentService.DownloadAttachment of the ticket service, as the system: a file's content, whole. */
export class GrpcAttachmentSource implements AttachmentSource {
  private readonly client: attachmentV1.AttachmentServiceClient;

  /** `transferMs` bounds a whole download (files run to tens of megabytes). */
  constructor(
    address: string,
    private readonly transferMs: number,
  ) {
    this.client = createStreamingClient(attachmentV1.AttachmentServiceClient, address);
  }

  async read(tenantId: string, attachmentId: string): Promise<Buffer> {
    const call = this.client.downloadAttachment(
      { tenantId, actor: { type: commonV1.ActorType.ACTOR_TYPE_SYSTEM, id: '' }, id: attachmentId },
      { deadline: Date.now() + this.transferMs },
    );
    const chunks: Buffer[] = [];
    for await (const message of receiveStream(call))
      if (message.part?.$case === 'chunk') chunks.push(message.part.value);
    return Buffer.concat(chunks);
  }

  close(): void {
    this.client.close();
  }
}
