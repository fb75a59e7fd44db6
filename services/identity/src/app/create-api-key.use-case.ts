import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { notFound, permissionDenied } from '@helpdesk/platform';
import { API_KEY_RANDOM_BYTES, apiKeyDisplayPrefix, formatApiKey, hashApiKeySecret } from '../domain/api-key';
import type { ApiKey, Clock, UnitOfWork } from './ports';
import { displayNameSchema, idSchema, parseCommand } from './validation';

const commandSchema = z.object({ tenantId: idSchema, name: displayNameSchema, createdBy: idSchema });

export type CreateApiKeyCommand = z.input<typeof commandSchema>;

/** Issues an API key; the secret exists only in this answer, the database keeps its hash. */
export class CreateApiKeyUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; clock: Clock }) {}

  async execute(input: CreateApiKeyCommand): Promise<{ apiKey: ApiKey; secret: string }> {
    const command = parseCommand(commandSchema, input);
    return this.deps.uow.run(async (scope) => {
      const creator = await scope.users.findById(command.tenantId, command.createdBy);
      if (!creator) throw notFound('user');
      // The gateway checks the role too; identity holds the rule so no other caller can skip it.
      if (creator.role !== 'admin' || !creator.active)
        throw permissionDenied('Only an active admin can create API keys');
      const id = randomUUID();
      const secret = formatApiKey(id, randomBytes(API_KEY_RANDOM_BYTES));
      const apiKey = await scope.apiKeys.create(
        {
          id,
          tenantId: command.tenantId,
          name: command.name,
          prefix: apiKeyDisplayPrefix(secret),
          createdBy: creator.id,
          createdAt: this.deps.clock.now(),
          revokedAt: null,
          lastUsedAt: null,
        },
        hashApiKeySecret(secret),
      );
      return { apiKey, secret };
    });
  }
}
