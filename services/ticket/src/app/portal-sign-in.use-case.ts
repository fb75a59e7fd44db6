import { createHash, randomBytes } from 'node:crypto';
import { invalidArgument, notFound, unauthenticated } from '@helpdesk/platform';
import { normalizeEmail, type Contact } from '../domain/directory';
import type { Clock, DirectoryReader, PasswordHasher, PortalTokenStore } from './ports';
import { ruled } from './rule-errors';

export const MAGIC_LINK_TTL_MIN_SECONDS = 60;
export const MAGIC_LINK_TTL_MAX_SECONDS = 86_400;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Contact sign-in for the portal (docs/product/portal.md): by password, or by a one-time token sent by e-mail
 * (magic link). Only contacts with portal access sign in; every failure looks the same to the caller.
 */
export class PortalSignInUseCases {
  constructor(
    private readonly deps: {
      directory: DirectoryReader;
      hasher: PasswordHasher;
      tokens: PortalTokenStore;
      clock: Clock;
    },
  ) {}

  async withPassword(tenantId: string, email: string, password: string): Promise<Contact> {
    const address = safeEmail(email);
    const found = address ? await this.deps.directory.findPortalCredentials(tenantId, address) : null;
    if (!found?.passwordHash) {
      await this.deps.hasher.verifyAgainstDummy(password);
      throw unauthenticated('Invalid e-mail or password');
    }
    const ok = await this.deps.hasher.verify(found.passwordHash, password);
    if (!ok || found.contact.portalAccess === 'none') throw unauthenticated('Invalid e-mail or password');
    return found.contact;
  }

  /** A one-time token for a contact with portal access; NOT_FOUND otherwise (the gateway answers alike anyway). */
  async createMagicLink(
    tenantId: string,
    email: string,
    ttlSeconds: number,
  ): Promise<{ contact: Contact; token: string; expiresAt: Date }> {
    if (
      !Number.isInteger(ttlSeconds) ||
      ttlSeconds < MAGIC_LINK_TTL_MIN_SECONDS ||
      ttlSeconds > MAGIC_LINK_TTL_MAX_SECONDS
    ) {
      throw invalidArgument(
        `ttlSeconds must be ${MAGIC_LINK_TTL_MIN_SECONDS} to ${MAGIC_LINK_TTL_MAX_SECONDS}`,
      );
    }
    const address = ruled(() => normalizeEmail(email));
    const contact = await this.deps.directory.findContactByEmail(tenantId, address);
    if (!contact || contact.portalAccess === 'none') throw notFound('contact');
    const token = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
    await this.deps.tokens.insert({
      tokenHash: hashToken(token),
      tenantId,
      contactId: contact.id,
      expiresAt,
      createdAt: now,
    });
    return { contact, token, expiresAt };
  }

  async redeemMagicLink(tenantId: string, token: string): Promise<Contact> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw unauthenticated('This sign-in link is not valid');
    const contactId = await this.deps.tokens.redeem(tenantId, hashToken(token), this.deps.clock.now());
    const contact = contactId ? await this.deps.directory.findContact(tenantId, contactId) : null;
    if (!contact || contact.portalAccess === 'none')
      throw unauthenticated('This sign-in link is not valid or has expired');
    return contact;
  }
}

function safeEmail(raw: string): string | null {
  try {
    return normalizeEmail(raw);
  } catch {
    return null;
  }
}
