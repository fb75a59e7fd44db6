// Times as a person reads them, in the browser's zone; the API's stay UTC.

const MINUTE = 60_000;

/** "3 d 4 h", "2 h 5 min", "12 min", "< 1 min" for a positive span. */
export function span(ms: number): string {
  const minutes = Math.floor(ms / MINUTE);
  if (minutes < 1) return '< 1 min';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days} d${hours ? ` ${hours} h` : ''}`;
  if (hours > 0) return `${hours} h${mins ? ` ${mins} min` : ''}`;
  return `${mins} min`;
}

export interface Countdown {
  text: string;
  overdue: boolean;
}

/** A due time counting down: "due in 2 h 5 min", or "overdue by 12 min" once passed. */
export function countdown(dueAt: string, now: number): Countdown {
  const left = Date.parse(dueAt) - now;
  return left >= 0
    ? { text: `due in ${span(left)}`, overdue: false }
    : { text: `overdue by ${span(-left)}`, overdue: true };
}

/** An instant in the browser's zone and language, e.g. "3 Dec 2026, 14:05". */
export function formatTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** The calendar day of an instant in the browser's zone, as YYYY-MM-DD (a date input's value, a report's period). */
export function localDay(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}
