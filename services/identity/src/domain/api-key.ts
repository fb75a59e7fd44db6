import { createHash } from 'node:crypto';

// API key secrets: `hd_<first 8 hex of the key id>_<32 random bytes, base64url>`. The key-id part lets
// support recognise a key from its prefix; the random part carries all of the entropy.
export const API_KEY_RANDOM_BYTES = 32;
export const API_KEY_PREFIX_LENGTH = 10;
const SECRET_PATTERN = /^hd_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

export interface ParsedApiKey {
  keyIdPrefix: string;
  random: string;
}

export function apiKeyIdPrefix(keyId: string): string {
  return keyId.replace(/-/g, '').slice(0, 8).toLowerCase();
}

export function formatApiKey(keyId: string, random: Uint8Array): string {
  if (random.length !== API_KEY_RANDOM_BYTES)
    throw new Error(`API key needs ${API_KEY_RANDOM_BYTES} random bytes`);
  return `hd_${apiKeyIdPrefix(keyId)}_${Buffer.from(random).toString('base64url')}`;
}

export function parseApiKey(secret: string): ParsedApiKey | undefined {
  const match = SECRET_PATTERN.exec(secret);
  if (!match) return undefined;
  return { keyIdPrefix: match[1] as string, random: match[2] as string };
}

/** The part of a secret that is stored and shown to recognise the key. */
export function apiKeyDisplayPrefix(secret: string): string {
  return secret.slice(0, API_KEY_PREFIX_LENGTH);
}

/** The stored form of an API key secret: keys are 256-bit random, so one fast hash suffices (no salt or KDF needed). */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
