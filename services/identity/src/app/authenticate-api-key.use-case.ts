import { z } from 'zod';
import { unauthenticated } from '@helpdesk/platform';
import { apiKeyIdPrefix, hashApiKeySecret, parseApiKey } from '../domain/api-key';
import type { ApiKey, Clock, UnitOfWork } from './ports';
import { parseCommand } from './validation';

const commandSchema = z.object({
  secret: z.string().min(1, { error: 'is required' }).max(512, { error: 'is too long' }),
});

export type AuthenticateApiKeyCommand = z.input<typeof commandSchema>;

const INVALID_KEY_MESSAGE = 'Invalid API key';
// Recording every use would write on every API request; a minute's precision is enough for "last used".
const LAST_USED_PRECISION_MS = 60_000;

/** Resolves a presented API key secret to its key and tenant. */
export class AuthenticateApiKeyUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; clock: Clock }) {}

  async execute(input: AuthenticateApiKeyCommand): Promise<ApiKey> {
    const { secret } = parseCommand(commandSchema, input);
    const parsed = parseApiKey(secret);
    if (!parsed) throw unauthenticated(INVALID_KEY_MESSAGE);
    const key = await this.deps.uow.read.apiKeys.findBySecretHash(hashApiKeySecret(secret));
    if (!key || key.revokedAt !== null || apiKeyIdPrefix(key.id) !== parsed.keyIdPrefix) {
      throw unauthenticated(INVALID_KEY_MESSAGE);
    }
    const now = this.deps.clock.now();
    if (key.lastUsedAt === null || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_PRECISION_MS) {
      await this.deps.uow.read.apiKeys.markUsed(key.id, now);
      return { ...key, lastUsedAt: now };
    }
    return key;
  }
}
