import { StringDecoder } from 'node:string_decoder';

const ESC = '\u001b[';
const RESET = `${ESC}0m`;
// Distinct, readable on dark and light terminals; red is kept for errors.
const SOURCE_COLOURS = ['36', '35', '33', '34', '32', '96', '95', '93', '94', '92'];
const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const LEVEL_COLOURS: Record<string, string> = {
  TRACE: '90',
  DEBUG: '90',
  INFO: '32',
  WARN: '33',
  ERROR: '31',
  FATAL: '1;31',
};
// Fields every service line carries; the prefix already says which service it is.
const QUIET_FIELDS = new Set([
  'level',
  'time',
  'msg',
  'pid',
  'hostname',
  'service',
  'traceId',
  'spanId',
  'v',
]);
const MAX_VALUE_CHARS = 160;
// What a person looks for first: which tenant and ticket a line is about (right after the message); the error last.
const FIRST_FIELDS = ['tenantId', 'ticketId'];
const ERROR_FIELDS = new Set(['err', 'error']);

/** The record's fields in reading order: FIRST_FIELDS, the others as logged, errors at the end. */
function fieldsInOrder(record: Record<string, unknown>): Array<[string, unknown]> {
  const entries = Object.entries(record);
  const rank = ([key]: [string, unknown]): number => {
    const first = FIRST_FIELDS.indexOf(key);
    if (first >= 0) return first - FIRST_FIELDS.length;
    return ERROR_FIELDS.has(key) ? 1 : 0;
  };
  // a stable sort keeps the logged order inside each rank
  return entries.sort((a, b) => rank(a) - rank(b));
}

export interface FormatOptions {
  pretty: boolean;
  color: boolean;
}

function paint(color: boolean, code: string, text: string): string {
  return color ? `${ESC}${code}m${text}${RESET}` : text;
}

/** The ANSI colour code of the n-th source (cycles). */
export function sourceColour(index: number): string {
  return SOURCE_COLOURS[((index % SOURCE_COLOURS.length) + SOURCE_COLOURS.length) % SOURCE_COLOURS.length]!;
}

/** `[name]` padded to `width` characters of name, coloured when asked. */
export function formatPrefix(name: string, width: number, colourCode: string, color: boolean): string {
  const label = `[${name}]`;
  return paint(color, colourCode, label) + ' '.repeat(Math.max(1, width + 3 - label.length));
}

function levelName(level: unknown): string | undefined {
  if (typeof level === 'number') return LEVEL_NAMES[level] ?? `L${level}`;
  if (typeof level === 'string' && level.length > 0) return level.toUpperCase();
  return undefined;
}

function clock(time: unknown): string | undefined {
  if (typeof time !== 'number' && typeof time !== 'string') return undefined;
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return undefined;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

function renderValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  else if (value instanceof Object) text = JSON.stringify(value);
  else text = String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function renderError(err: unknown): { summary: string; stack?: string } {
  if (err === null || typeof err !== 'object') return { summary: renderValue(err) };
  const e = err as { type?: unknown; message?: unknown; stack?: unknown };
  const summary = [
    typeof e.type === 'string' && e.type !== 'Object' ? e.type : undefined,
    typeof e.message === 'string' ? e.message : undefined,
  ]
    .filter(Boolean)
    .join(': ');
  const text = summary || JSON.stringify(err);
  return {
    summary: text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text,
    stack: typeof e.stack === 'string' ? e.stack : undefined,
  };
}

/**
 * One line of a child's output as shown in the terminal: a pino JSON line becomes `time LEVEL msg key=value…`
 * (tenant and ticket first, the error last, plus the error's stack for errors) when pretty; anything else is passed
 * through unchanged.
 */
export function formatLogLine(line: string, opts: FormatOptions): string {
  if (!opts.pretty || !line.startsWith('{')) return line;
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return line;
    record = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = levelName(record.level);
  if (level === undefined || (typeof record.msg !== 'string' && record.err === undefined)) return line;
  const parts: string[] = [];
  const time = clock(record.time);
  if (time) parts.push(paint(opts.color, '90', time));
  parts.push(paint(opts.color, LEVEL_COLOURS[level] ?? '0', level.padEnd(5)));
  if (typeof record.msg === 'string') parts.push(record.msg);
  let stack: string | undefined;
  for (const [key, value] of fieldsInOrder(record)) {
    if (QUIET_FIELDS.has(key) || value === undefined) continue;
    if (ERROR_FIELDS.has(key)) {
      const rendered = renderError(value);
      parts.push(paint(opts.color, '31', `${key}=${rendered.summary}`));
      if (record.level === 50 || record.level === 60 || level === 'ERROR' || level === 'FATAL')
        stack = rendered.stack;
      continue;
    }
    parts.push(paint(opts.color, '90', `${key}=`) + renderValue(value));
  }
  const head = parts.join(' ');
  if (!stack) return head;
  // The first stack line repeats the message already shown.
  const frames = stack
    .split('\n')
    .slice(1)
    .map((frame) => paint(opts.color, '90', `    ${frame.trim()}`));
  return [head, ...frames].join('\n');
}

/** Splits a byte stream into lines and hands each complete line to `onLine` (the last partial line on end()). */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let newline = this.buffer.indexOf('\n');
    while (newline >= 0) {
      this.onLine(this.buffer.slice(0, newline).replace(/\r$/, ''));
      this.buffer = this.buffer.slice(newline + 1);
      newline = this.buffer.indexOf('\n');
    }
  }

  end(): void {
    this.buffer += this.decoder.end();
    if (this.buffer.length > 0) this.onLine(this.buffer);
    this.buffer = '';
  }
}

export interface Writable {
  write(text: string): unknown;
}

/** The runner's terminal: its own messages and every child's lines, each behind a `[source]` prefix. */
export class Output {
  private readonly colours = new Map<string, string>();
  private width: number;

  constructor(
    private readonly out: Writable,
    private readonly opts: FormatOptions,
    sources: string[] = [],
    private readonly self = 'helpdesk',
  ) {
    this.width = Math.max(self.length, ...sources.map((s) => s.length));
    sources.forEach((s) => this.colourOf(s));
  }

  private colourOf(source: string): string {
    let colour = this.colours.get(source);
    if (!colour) {
      colour = sourceColour(this.colours.size);
      this.colours.set(source, colour);
      this.width = Math.max(this.width, source.length);
    }
    return colour;
  }

  private prefixed(source: string, colourCode: string, text: string): void {
    const prefix = formatPrefix(source, this.width, colourCode, this.opts.color);
    this.out.write(
      text
        .split('\n')
        .map((l) => prefix + l)
        .join('\n') + '\n',
    );
  }

  /** A line printed by a child process (a service, an infrastructure server, the seed). */
  line(source: string, line: string): void {
    this.prefixed(source, this.colourOf(source), formatLogLine(line, this.opts));
  }

  /** A splitter that prints each line of a child's stream under `source`. */
  splitter(source: string): LineSplitter {
    return new LineSplitter((line) => this.line(source, line));
  }

  info(message: string): void {
    this.prefixed(this.self, '1', message);
  }

  warn(message: string): void {
    this.prefixed(this.self, '1', paint(this.opts.color, '33', message));
  }

  error(message: string): void {
    this.prefixed(this.self, '1', paint(this.opts.color, '31', message));
  }

  /** Text without a prefix (the start-up summary). */
  raw(text: string): void {
    this.out.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  bold(text: string): string {
    return paint(this.opts.color, '1', text);
  }
}
