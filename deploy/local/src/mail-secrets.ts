import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export interface MailSecrets {
  /** AES-256 key (base64) that seals mailbox passwords at rest (mail-ingest's MAIL_SECRET_KEY). */
  mailSecretKey: string;
  /** HMAC secret of our Message-IDs (MAIL_MESSAGE_ID_SECRET of mail-ingest and notification). */
  messageIdSecret: string;
  file: string;
}

const fileSchema = z.object({
  mailSecretKey: z.string().refine((v) => Buffer.from(v, 'base64').length === 32),
  messageIdSecret: z.string().min(32),
});

/**
 * The mail secrets: from the environment when given, else from `<localDir>/mail-secrets.json` (mode 0600),
 * generated there once. Losing the key makes the stored mailbox passwords unreadable, so it is never regenerated
 * over an existing file.
 */
export function loadMailSecrets(
  localDir: string,
  fromEnv: { mailSecretKey?: string; messageIdSecret?: string },
): MailSecrets {
  const file = path.join(localDir, 'mail-secrets.json');
  let stored: z.infer<typeof fileSchema> | undefined;
  if (existsSync(file)) {
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success)
      throw new Error(`${file} is not valid; restore it (mailbox passwords are sealed with its key)`);
    stored = parsed.data;
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  } else if (!fromEnv.mailSecretKey || !fromEnv.messageIdSecret) {
    stored = {
      mailSecretKey: randomBytes(32).toString('base64'),
      messageIdSecret: randomBytes(32).toString('base64url'),
    };
    mkdirSync(localDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  return {
    mailSecretKey: fromEnv.mailSecretKey ?? stored!.mailSecretKey,
    messageIdSecret: fromEnv.messageIdSecret ?? stored!.messageIdSecret,
    file,
  };
}
