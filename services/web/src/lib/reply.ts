// The reply box's logic, without React: the `@word` at the caret, the agents it matches, inserting the chosen
// handle, and the files that go with a message.

/** A colleague that can be mentioned (the fields of the API's User the completion reads). */
export interface Mentionable {
  id: string;
  name: string;
  handle: string;
  active: boolean;
}

/** The `@word` being typed: `start` is the index of the `@`, `end` the index after the word, `query` its letters. */
export interface MentionQuery {
  start: number;
  end: number;
  query: string;
}

// What a handle is made of (the API's handle rule: letters, digits, dot, underscore, hyphen; at most 64).
const HANDLE_CHAR = /[A-Za-z0-9._-]/;
const HANDLE_MAX = 64;
// The ticket service reads `@handle` at the start or after anything but a letter, digit, `.`, `_`, `@` or `-`
// (never inside an e-mail address such as a@b.com): the completion opens where a mention would count.
const WORD_CHAR = /[\p{L}\p{N}._@-]/u;

/**
 * The mention being typed at `caret` in `text`, or null: the caret must be inside or right after an `@` that starts a
 * word, followed by handle characters only. The word runs on past the caret, so a choice replaces all of it.
 */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  if (caret < 0 || caret > text.length) return null;
  let at = caret - 1;
  while (at >= 0 && HANDLE_CHAR.test(text[at]!)) at -= 1;
  if (at < 0 || text[at] !== '@') return null;
  if (at > 0 && WORD_CHAR.test(text[at - 1]!)) return null;
  let end = caret;
  while (end < text.length && HANDLE_CHAR.test(text[end]!)) end += 1;
  const query = text.slice(at + 1, caret);
  if (end - at - 1 > HANDLE_MAX) return null;
  return { start: at, end, query };
}

/** Lower case without accents: "José" is found by "jose". */
function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The active colleagues a query matches, best first: a handle that starts with it, then a name (or a word of it)
 * that does, then a handle or name that holds it; ties by name. An empty query offers everyone, by name.
 */
export function matchMentions<T extends Mentionable>(people: readonly T[], query: string, limit = 8): T[] {
  const q = fold(query);
  const rank = (p: T): number => {
    if (!q) return 0;
    const handle = fold(p.handle);
    const name = fold(p.name);
    if (handle.startsWith(q)) return 0;
    if (name.startsWith(q) || name.split(/[\s.'-]+/).some((word) => word.startsWith(q))) return 1;
    if (handle.includes(q) || name.includes(q)) return 2;
    return -1;
  };
  return people
    .filter((p) => p.active && p.handle !== '')
    .map((p) => ({ p, r: rank(p) }))
    .filter((x) => x.r >= 0)
    .sort((a, b) => a.r - b.r || a.p.name.localeCompare(b.p.name) || a.p.handle.localeCompare(b.p.handle))
    .slice(0, limit)
    .map((x) => x.p);
}

/**
 * The text with the mention replaced by `@handle` and one space after it, and where the caret goes (after that
 * space). A space already there is kept rather than doubled.
 */
export function insertMention(
  text: string,
  mention: MentionQuery,
  handle: string,
): { text: string; caret: number } {
  const before = text.slice(0, mention.start);
  const after = text.slice(mention.end);
  const spaced = /^\s/.test(after) ? after : ` ${after}`;
  return { text: `${before}@${handle}${spaced}`, caret: before.length + handle.length + 2 };
}

/** The option the arrow keys move to in a list of `count`, wrapping round; -1 when the list is empty. */
export function moveActive(
  current: number,
  count: number,
  key: 'ArrowDown' | 'ArrowUp' | 'Home' | 'End',
): number {
  if (count <= 0) return -1;
  switch (key) {
    case 'ArrowDown':
      return current < 0 || current >= count - 1 ? 0 : current + 1;
    case 'ArrowUp':
      return current <= 0 ? count - 1 : current - 1;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
  }
}

/** A file on its way into a message: uploading, stored (with the API's attachment id), or refused. */
export type PendingFile =
  | { key: string; name: string; size: number; state: 'uploading' }
  | { key: string; name: string; size: number; state: 'stored'; attachmentId: string }
  | { key: string; name: string; size: number; state: 'failed'; error: unknown };

/** The ids to send with the message: the stored files, in the order they were picked. */
export function attachmentIdsOf(files: readonly PendingFile[]): string[] {
  return files.flatMap((f) => (f.state === 'stored' ? [f.attachmentId] : []));
}

/**
 * Whether the message can go: nothing is still uploading, and there is text or at least one stored file (the API
 * takes a message with files and no words). A refused file does not hold the message back; it is not sent.
 */
export function readyToSend(text: string, files: readonly PendingFile[]): boolean {
  if (files.some((f) => f.state === 'uploading')) return false;
  return text.trim() !== '' || files.some((f) => f.state === 'stored');
}

/** A size as people read it: bytes below a kilobyte, then KB, then MB with one decimal (1024-based, as the API). */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
