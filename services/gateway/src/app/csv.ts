// CSV downloads (RFC 4180): CRLF line ends; a field holding a comma, a double quote, CR or LF is quoted with its
// quotes doubled. Text that a spreadsheet would run as a formula (= + - @ at the start) gets a leading
// apostrophe, so an exported value can never execute (OWASP "CSV injection"); numbers are written as they are.

export type CsvValue = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line and one line per row, every line ending in CRLF. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvValue[]>): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
