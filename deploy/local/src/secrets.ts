import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export interface PlatformSecrets {
  jwtSecret: string;
  operatorToken: string;
  /** Where each one came from. */
  source: { jwtSecret: 'env' | 'file' | 'generated'; operatorToken: 'env' | 'file' | 'generated' };
  file: string;
}

const fileSchema = z
  .object({
    jwtSecret: z.string().min(32).optional(),
    operatorToken: z.string().min(24).optional(),
  })
  .loose();

function generate(): string {
  // 32 random bytes → 43 base64url characters; over both services' minimum lengths.
  return randomBytes(32).toString('base64url');
}

/**
 * The JWT signing secret and the operator token: from the environment when given, else from
 * `<localDir>/secrets.json` (mode 0600), generated there on first use so that tokens survive restarts.
 */
export function loadSecrets(
  localDir: string,
  fromEnv: { jwtSecret?: string; operatorToken?: string },
): PlatformSecrets {
  const file = path.join(localDir, 'secrets.json');
  let stored: z.infer<typeof fileSchema> = {};
  if (existsSync(file)) {
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success)
      throw new Error(
        `${file} is not valid (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}); delete it to generate new secrets`,
      );
    stored = parsed.data;
  }
  const source: PlatformSecrets['source'] = {
    jwtSecret: fromEnv.jwtSecret ? 'env' : stored.jwtSecret ? 'file' : 'generated',
    operatorToken: fromEnv.operatorToken ? 'env' : stored.operatorToken ? 'file' : 'generated',
  };
  const jwtSecret = fromEnv.jwtSecret ?? stored.jwtSecret ?? generate();
  const operatorToken = fromEnv.operatorToken ?? stored.operatorToken ?? generate();
  const next = {
    ...stored,
    ...(source.jwtSecret === 'generated' ? { jwtSecret } : {}),
    ...(source.operatorToken === 'generated' ? { operatorToken } : {}),
  };
  if (source.jwtSecret === 'generated' || source.operatorToken === 'generated') {
    mkdirSync(localDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  }
  // writeFileSync's mode applies to new files only; an older, looser file is tightened.
  if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return { jwtSecret, operatorToken, source, file };
}
