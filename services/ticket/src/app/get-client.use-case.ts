import { notFound } from '@helpdesk/platform';
import type { Client } from '../domain/directory';
import { requireUuidOrNotFound } from './directory-support';
import type { DirectoryReader } from './ports';

export class GetClientUseCase {
  constructor(private readonly directory: DirectoryReader) {}

  async execute(query: { tenantId: string; id: string }): Promise<Client> {
    const client = await this.directory.findClient(query.tenantId, requireUuidOrNotFound(query.id, 'client'));
    // another tenant's client answers exactly like a missing one
    if (!client || client.tenantId !== query.tenantId) throw notFound('client');
    return client;
  }
}
