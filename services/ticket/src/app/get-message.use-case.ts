import { notFound } from '@helpdesk/platform';
import { isUuid } from '../domain/cursor';
import type { TicketMessage } from '../domain/message';
import type { MessageRepository } from './ports';

/** One message of the tenant (agents: e.g. to reach its raw e-mail source). */
export class GetMessageUseCase {
  constructor(private readonly messages: MessageRepository) {}

  async execute(tenantId: string, id: string): Promise<TicketMessage> {
    if (!isUuid(id)) throw notFound('message');
    const message = await this.messages.findById(tenantId, id.toLowerCase());
    if (!message) throw notFound('message');
    return message;
  }
}
