import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './processes';

/**
 * The e-mail corpus: MAIL_CORPUS_DIR, else the copy in the repository (`test/fixtures/mail-corpus`). Throws when
 * it is missing, so that a test never passes on an empty corpus.
 */
export function mailCorpusDir(): string {
  const candidates = [
    process.env.MAIL_CORPUS_DIR,
    path.resolve(repoRoot, 'test', 'fixtures', 'mail-corpus'),
  ].filter((c): c is string => Boolean(c));
  const found = candidates.find((c) => existsSync(c));
  if (!found)
    throw new Error(`the mail corpus is missing (looked in ${candidates.join(', ')}); set MAIL_CORPUS_DIR`);
  return found;
}
