// PostgreSQL takes no NUL in text or jsonb and no lone UTF-16 surrogate in jsonb; a mail may carry either (raw
// NUL bytes in a header or body, a UTF-16 part cut in half). What the pipeline stores or sends on as text goes
// through here; the raw source keeps every byte. Both checks are one fast pass, so a 25 MB body costs a few ms.

const NUL = '\u0000';

// ES2024, in Node since 20; the repository's TypeScript lib is older
interface WellFormed {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** `text` without NUL characters, a lone surrogate replaced by U+FFFD. */
export function storableText(text: string): string {
  const out = text.includes(NUL) ? text.replaceAll(NUL, '') : text;
  const checked = out as unknown as WellFormed;
  return checked.isWellFormed() ? out : checked.toWellFormed();
}
