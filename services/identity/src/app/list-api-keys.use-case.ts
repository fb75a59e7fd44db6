import { z } from 'zod';
import type { ApiKey, Page, UnitOfWork } from './ports';
import { idSchema, pageSchema, parseCommand } from './validation';

const commandSchema = z.object({ tenantId: idSchema, page: pageSchema });

export type ListApiKeysCommand = z.input<typeof commandSchema>;

/** A tenant's API keys, revoked ones included, never their secrets. */
export class ListApiKeysUseCase {
  constructor(private readonly deps: { uow: UnitOfWork }) {}

  async execute(input: ListApiKeysCommand): Promise<Page<ApiKey>> {
    const { tenantId, page } = parseCommand(commandSchema, input);
    return this.deps.uow.read.apiKeys.list(tenantId, page);
  }
}
