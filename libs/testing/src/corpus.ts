import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './processes';

/**
 * The shared e-mail corpus (`../shared/corpus/mail` beside the repository; in a git worktree one level further
 * up), or MAIL_CORPUS_DIR. Throws when it is nowhere, so that a test never passes on an empty corpus.
 */
export function mailCorpusDir(): string {
  const candidates = [
    process.env.MAIL_CORPUS_DIR,
    path.resolve(repoRoot, '..', 'shared', 'corpus', 'mail'),
    path.resolve(repoRoot, '..', '..', 'shared', 'corpus', 'mail'),
  ].filter((c): c is string => Boolean(c));
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`the mail corpus is missing (looked in ${candidates.join(', ')}); set MAIL_CORPUS_DIR`);
  return found;
}
