import { notFound } from '@helpdesk/platform';
import type { Contact } from '../domain/directory';
import { requireUuidOrNotFound } from './directory-support';
import type { DirectoryReader } from './ports';

export class GetContactUseCase {
  constructor(private readonly directory: DirectoryReader) {}

  async execute(query: { tenantId: string; id: string }): Promise<Contact> {
    const contact = await this.directory.findContact(
      query.tenantId,
      requireUuidOrNotFound(query.id, 'contact'),
    );
    // another tenant's contact answers exactly like a missing one
    if (!contact || contact.tenantId !== query.tenantId) throw notFound('contact');
    return contact;
  }
}
