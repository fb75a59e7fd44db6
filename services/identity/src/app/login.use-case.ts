import { z } from 'zod';
import { unauthenticated } from '@helpdesk/platform';
import { normalizeEmail } from '../domain/email';
import { PASSWORD_MAX_LENGTH } from '../domain/password-policy';
import type { PasswordHasher, TokenIssuer, UnitOfWork, User } from './ports';
import { parseCommand } from './validation';

// No format checks beyond presence: a malformed e-mail is simply one that has no account.
const commandSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, { error: 'is required' })
    .max(254, { error: 'must be at most 254 characters' }),
  password: z
    .string()
    .min(1, { error: 'is required' })
    .max(PASSWORD_MAX_LENGTH, { error: `must be at most ${PASSWORD_MAX_LENGTH} characters` }),
});

export type LoginCommand = z.input<typeof commandSchema>;

// One message for unknown e-mail and wrong password, so sign-in cannot be used to probe for accounts.
export const INVALID_CREDENTIALS_MESSAGE = 'Invalid e-mail or password';

/** Agent sign-in: e-mail and password → session token. */
export class LoginUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; hasher: PasswordHasher; tokens: TokenIssuer }) {}

  async execute(input: LoginCommand): Promise<{ token: string; expiresAt: Date; user: User }> {
    const command = parseCommand(commandSchema, input);
    const found = await this.deps.uow.read.users.findByEmailForSignIn(normalizeEmail(command.email));
    if (!found) {
      await this.deps.hasher.verifyAgainstDummy(command.password);
      throw unauthenticated(INVALID_CREDENTIALS_MESSAGE);
    }
    const { passwordHash, ...user } = found;
    if (!(await this.deps.hasher.verify(passwordHash, command.password))) {
      throw unauthenticated(INVALID_CREDENTIALS_MESSAGE);
    }
    // Told only to someone who knows the password, so it reveals nothing to a prober.
    if (!user.active) throw unauthenticated('This account is deactivated');
    const { token, expiresAt } = await this.deps.tokens.issue({
      userId: user.id,
      tenantId: user.tenantId,
      role: user.role,
    });
    return { token, expiresAt, user };
  }
}
