import { attachmentV1, commonV1, directoryV1, ticketV1 } from '@helpdesk/contracts';
import {
  chunksOf,
  createGrpcClient,
  createStreamingClient,
  sendStream,
  type PromiseClient,
} from '@helpdesk/grpc';
import { isDomainError } from '@helpdesk/platform';
import type {
  AddThreadMessage,
  AttachmentUpload,
  Author,
  CreateEmailTicket,
  NewMessage,
  TicketChange,
  TicketPort,
  TicketRef,
} from '../app/ports';

const SYSTEM: commonV1.Actor = { type: commonV1.ActorType.ACTOR_TYPE_SYSTEM, id: '' };

function toRef(ticket: ticketV1.Ticket | undefined): TicketRef {
  if (!ticket) throw new Error('ticket service answered without a ticket');
  return {
    id: ticket.id,
    number: Number(ticket.number),
    title: ticket.title,
    status: ticket.status,
    requesterEmail: ticket.requester?.email || ticket.raisedBy,
    cc: ticket.cc,
    clientId: ticket.clientId,
    mergedIntoId: ticket.mergedIntoId,
  };
}

function toNewMessage(message: NewMessage): ticketV1.NewMessage {
  return {
    kind: message.kind,
    bodyHtml: message.bodyHtml,
    bodyText: message.bodyText,
    attachmentIds: message.attachmentIds,
    threadingRule: message.threadingRule,
    ...(message.email ? { email: { ...message.email } } : {}),
  };
}

function toActor(author: Author): commonV1.Actor {
  return author.type === 'contact' ? { type: commonV1.ActorType.ACTOR_TYPE_CONTACT, id: author.id } : SYSTEM;
}

const notFoundIsNull = <T>(p: Promise<T>): Promise<T | null> =>
  p.catch((err: unknown) => {
    if (isDomainError(err) && err.code === 'NOT_FOUND') return null;
    throw err;
  });

/** The ticket service over gRPC (TicketService, AttachmentService, DirectoryService on one address). */
export class GrpcTicketAdapter implements TicketPort {
  private readonly tickets: PromiseClient<ticketV1.TicketServiceClient>;
  private readonly directory: PromiseClient<directoryV1.DirectoryServiceClient>;
  private readonly attachments: attachmentV1.AttachmentServiceClient;

  constructor(
    address: string,
    private readonly deadlineMs: number,
  ) {
    this.tickets = createGrpcClient(ticketV1.TicketServiceClient, address, { deadlineMs });
    this.directory = createGrpcClient(directoryV1.DirectoryServiceClient, address, { deadlineMs });
    this.attachments = createStreamingClient(attachmentV1.AttachmentServiceClient, address);
  }

  async createTicket(command: CreateEmailTicket): Promise<TicketChange> {
    const answer = await this.tickets.createTicket({
      tenantId: command.tenantId,
      actor: SYSTEM,
      title: command.title,
      description: command.description,
      priority: '',
      source: 'email',
      requester: command.requester,
      contactId: '',
      // the requester's client
      clientId: '',
      assigneeId: '',
      teamId: '',
      cc: command.cc,
      templateId: '',
      followUpOfId: command.followUpOfId,
      initialMessage: toNewMessage(command.initialMessage),
      dedupeKey: command.dedupeKey,
    });
    return {
      ticket: toRef(answer.ticket),
      messageId: answer.message?.id ?? '',
      outcome: answer.duplicate ? 'duplicate' : 'created',
    };
  }

  async addMessage(command: AddThreadMessage): Promise<TicketChange> {
    const answer = await this.tickets.addMessage({
      tenantId: command.tenantId,
      actor: toActor(command.author),
      ticketId: command.ticketId,
      message: toNewMessage(command.message),
      status: '',
      dedupeKey: command.dedupeKey,
    });
    return { ticket: toRef(answer.ticket), messageId: answer.message?.id ?? '', outcome: answer.outcome };
  }

  async findByEmailMessageIds(
    tenantId: string,
    ids: string[],
  ): Promise<{ ticket: TicketRef; matched: string } | null> {
    const answer = await notFoundIsNull(
      this.tickets.findTicketByEmailMessageId({ tenantId, messageIds: ids.slice(0, 100) }),
    );
    return answer?.ticket ? { ticket: toRef(answer.ticket), matched: answer.matchedMessageId } : null;
  }

  async getById(tenantId: string, id: string): Promise<TicketRef | null> {
    const answer = await notFoundIsNull(this.tickets.getTicket({ tenantId, id, number: 0 }));
    return answer?.ticket ? toRef(answer.ticket) : null;
  }

  async getByNumber(tenantId: string, number: number): Promise<TicketRef | null> {
    const answer = await notFoundIsNull(this.tickets.getTicket({ tenantId, id: '', number }));
    return answer?.ticket ? toRef(answer.ticket) : null;
  }

  async uploadAttachment(upload: AttachmentUpload): Promise<{ id: string } | 'too_large'> {
    const header: attachmentV1.UploadAttachmentRequest = {
      part: {
        $case: 'header',
        value: {
          tenantId: upload.tenantId,
          actor: SYSTEM,
          ticketId: upload.ticketId,
          filename: upload.filename.slice(0, 255),
          contentType: upload.contentType,
          contentId: upload.contentId,
          inline: upload.inline,
          declaredSize: upload.content.length,
        },
      },
    };
    const messages = async function* (): AsyncGenerator<attachmentV1.UploadAttachmentRequest> {
      yield header;
      for (const chunk of chunksOf(upload.content)) yield { part: { $case: 'chunk', value: chunk } };
    };
    try {
      const answer = await sendStream<
        attachmentV1.UploadAttachmentRequest,
        attachmentV1.UploadAttachmentResponse
      >(
        (callback) =>
          this.attachments.uploadAttachment(
            { deadline: Date.now() + Math.max(this.deadlineMs, 60_000) },
            callback,
          ),
        messages(),
      );
      if (!answer.attachment) throw new Error('ticket service answered without an attachment');
      return { id: answer.attachment.id };
    } catch (err) {
      // RESOURCE_EXHAUSTED (over the tenant's limit) arrives as RATE_LIMITED; OUT_OF_RANGE as PAYLOAD_TOO_LARGE
      if (isDomainError(err) && (err.code === 'RATE_LIMITED' || err.code === 'PAYLOAD_TOO_LARGE'))
        return 'too_large';
      throw err;
    }
  }

  async clientOfContact(tenantId: string, email: string): Promise<string | null> {
    const answer = await this.directory.listContacts({
      tenantId,
      page: { limit: 1, cursor: '' },
      clientId: '',
      email,
      q: '',
    });
    const contact = answer.items[0];
    return contact && contact.email === email && contact.clientId ? contact.clientId : null;
  }

  async setBouncing(tenantId: string, email: string): Promise<void> {
    await this.directory.setContactBouncing({ tenantId, actor: SYSTEM, email, bouncing: true });
  }

  close(): void {
    this.tickets.close();
    this.directory.close();
    this.attachments.close();
  }
}
