import type { TicketMessage } from '../domain/message';
import type { DirectoryReader, UserViewRepository } from './ports';

/**
 * Display names of message authors: agents from the users read model, contacts from the directory. Portal views
 * show these names and never the agents' addresses.
 */
export class AuthorNames {
  constructor(
    private readonly users: Pick<UserViewRepository, 'names'>,
    private readonly directory: Pick<DirectoryReader, 'findContact'>,
  ) {}

  async of(tenantId: string, messages: TicketMessage[]): Promise<Map<string, string>> {
    const ids = (type: string) => [
      ...new Set(messages.filter((m) => m.author.type === type && m.author.id).map((m) => m.author.id!)),
    ];
    const names = await this.users.names(tenantId, ids('user'));
    for (const id of ids('contact')) {
      const contact = await this.directory.findContact(tenantId, id);
      if (contact) names.set(id, contact.name);
    }
    return names;
  }

  async one(tenantId: string, message: TicketMessage): Promise<string> {
    return (await this.of(tenantId, [message])).get(message.author.id ?? '') ?? '';
  }
}
