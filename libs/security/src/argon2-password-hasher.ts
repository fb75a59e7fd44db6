import { randomBytes } from 'node:crypto';
import * as argon2 from 'argon2';

/**
 * Passwords of agents and portal contacts: argon2id with the library's defaults (64 MiB, t=3, p=4),
 * the OWASP-recommended family. `verifyAgainstDummy` lets a sign-in for an unknown account take as long
 * as one for a known account.
 */
export class Argon2PasswordHasher {
  private dummyHash?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      // A malformed stored hash must not become a 500 or, worse, a pass.
      return false;
    }
  }

  async verifyAgainstDummy(password: string): Promise<void> {
    this.dummyHash ??= this.hash(randomBytes(24).toString('base64url'));
    await this.verify(await this.dummyHash, password);
  }

  /** Computes the dummy hash ahead of the first sign-in, so that one is not slower than the rest. */
  async warmUp(): Promise<void> {
    this.dummyHash ??= this.hash(randomBytes(24).toString('base64url'));
    await this.dummyHash;
  }
}
