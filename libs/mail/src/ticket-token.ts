// The ticket token of subject lines, `[#1042]` (docs/product/email.md).
const TOKEN = /\[#(\d{1,12})\]/g;

/** `[#1042]` */
export function ticketToken(number: number): string {
  return `[#${number}]`;
}

/** The ticket numbers named by tokens in a subject, in order of appearance, without repeats. */
export function ticketNumbersIn(subject: string): number[] {
  const numbers: number[] = [];
  for (const match of subject.matchAll(TOKEN)) {
    const n = Number(match[1]);
    if (Number.isSafeInteger(n) && n > 0 && !numbers.includes(n)) numbers.push(n);
  }
  return numbers;
}

/** A subject carrying the token once: `Re: [#1042] Printer offline`, whatever prefixes and tokens it had. */
export function subjectWithToken(number: number, subject: string, prefix = ''): string {
  const bare = subject
    .replace(TOKEN, ' ')
    .replace(/^\s*((re|aw|fw|fwd|sv|vs|antw)\s*:\s*)+/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  return `${prefix}${ticketToken(number)} ${bare}`.trim();
}
