import { z } from 'zod';
import { notFound } from '@helpdesk/platform';
import type { ApiKey, Clock, UnitOfWork } from './ports';
import { idSchema, parseCommand } from './validation';

const commandSchema = z.object({ tenantId: idSchema, id: idSchema });

export type RevokeApiKeyCommand = z.input<typeof commandSchema>;

/** Revokes an API key; revoking again answers the key as it is (the first revocation time stays). */
export class RevokeApiKeyUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; clock: Clock }) {}

  async execute(input: RevokeApiKeyCommand): Promise<ApiKey> {
    const { tenantId, id } = parseCommand(commandSchema, input);
    return this.deps.uow.run(async (scope) => {
      const key = await scope.apiKeys.findById(tenantId, id);
      if (!key) throw notFound('API key');
      if (key.revokedAt !== null) return key;
      return scope.apiKeys.revoke(tenantId, id, this.deps.clock.now());
    });
  }
}
