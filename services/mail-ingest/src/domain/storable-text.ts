// PostgreSQL takes no NUL in text or jsonb and no lone UTF-16 surrogate in jsonb; a mail may carry either (raw
// NUL bytes in a header or body, a UTF-16 part cut in half). What the pipeline stores or sends on as text goes
// through here; the raw source keeps every byte.

const NUL = '\u0000';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` without NUL characters, a lone surrogate replaced by U+FFFD. */
export function storableText(text: string): string {
  return text.replaceAll(NUL, '').replace(LONE_SURROGATE, '\uFFFD');
}
