import { LineSplitter, Output, formatLogLine, formatPrefix } from './log-prefixer';

const ESC = '\u001b[';
const pinoLine = (fields: Record<string, unknown>) =>
  JSON.stringify({
    level: 30,
    time: '2026-01-02T03:04:05.678Z',
    pid: 42,
    hostname: 'box',
    service: 'identity',
    msg: 'grpc server listening',
    ...fields,
  });

describe('log lines', () => {
  const originalTz = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'UTC';
  });
  afterAll(() => {
    process.env.TZ = originalTz;
  });

  it('pretty-prints a pino line as time, level, message and the extra fields', () => {
    expect(formatLogLine(pinoLine({ port: 50051, traceId: 'abc' }), { pretty: true, color: false })).toBe(
      '03:04:05.678 INFO  grpc server listening port=50051',
    );
  });

  it('puts the tenant and the ticket right after the message and the error last', () => {
    const line = pinoLine({
      level: 40,
      msg: 'mail processing failed; will retry',
      err: { type: 'Error', message: 'boom' },
      attempts: 2,
      ticketId: 't-1',
      tenantId: 'ten-1',
    });
    expect(formatLogLine(line, { pretty: true, color: false })).toBe(
      '03:04:05.678 WARN  mail processing failed; will retry tenantId=ten-1 ticketId=t-1 attempts=2 err=Error: boom',
    );
  });

  it('quotes values with spaces and shortens long ones', () => {
    const line = formatLogLine(pinoLine({ level: 40, note: 'two words', big: 'x'.repeat(500) }), {
      pretty: true,
      color: false,
    });
    expect(line).toMatch(/^03:04:05\.678 WARN {2}grpc server listening note="two words" big=x+…$/);
    expect(line.length).toBeLessThan(260);
  });

  it('shows an error with its stack under an error line', () => {
    const err = {
      type: 'Error',
      message: 'boom',
      stack: 'Error: boom\n    at a (x.ts:1:1)\n    at b (y.ts:2:2)',
    };
    expect(formatLogLine(pinoLine({ level: 50, msg: 'failed', err }), { pretty: true, color: false })).toBe(
      '03:04:05.678 ERROR failed err=Error: boom\n    at a (x.ts:1:1)\n    at b (y.ts:2:2)',
    );
  });

  it('passes lines through unchanged when not pretty, and non-log lines always', () => {
    const raw = pinoLine({});
    expect(formatLogLine(raw, { pretty: false, color: false })).toBe(raw);
    expect(formatLogLine('(node:1) Warning: something', { pretty: true, color: true })).toBe(
      '(node:1) Warning: something',
    );
    expect(formatLogLine('{"not":"a log line"}', { pretty: true, color: false })).toBe(
      '{"not":"a log line"}',
    );
    expect(formatLogLine('{broken json', { pretty: true, color: false })).toBe('{broken json');
  });

  it('colours the level only when colour is on', () => {
    const plain = formatLogLine(pinoLine({ level: 50 }), { pretty: true, color: false });
    const coloured = formatLogLine(pinoLine({ level: 50 }), { pretty: true, color: true });
    expect(plain).not.toContain(ESC);
    expect(coloured).toContain(`${ESC}31mERROR${ESC}0m`);
  });
});

describe('prefixes', () => {
  it('pads every prefix to the longest source name', () => {
    expect(formatPrefix('ticket', 8, '36', false)).toBe('[ticket]   ');
    expect(formatPrefix('identity', 8, '36', false)).toBe('[identity] ');
    expect(formatPrefix('ticket', 8, '36', true)).toBe(`${ESC}36m[ticket]${ESC}0m   `);
  });

  it('gives each source its own colour and prefixes every line of a multi-line entry', () => {
    let text = '';
    const out = new Output({ write: (s: string) => (text += s) }, { pretty: false, color: true }, [
      'identity',
      'ticket',
    ]);
    out.line('identity', 'one');
    out.line('ticket', 'two\nthree');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const colourOf = (l: string) => (l.startsWith(ESC) ? l.slice(ESC.length, l.indexOf('m')) : undefined);
    expect(colourOf(lines[0]!)).toBeDefined();
    expect(colourOf(lines[0]!)).not.toBe(colourOf(lines[1]!));
    expect(colourOf(lines[1]!)).toBe(colourOf(lines[2]!));
    expect(lines[2]).toMatch(/\[ticket\].* three$/);
  });

  it('writes no escape codes without colour', () => {
    let text = '';
    const out = new Output({ write: (s: string) => (text += s) }, { pretty: false, color: false }, [
      'gateway',
    ]);
    out.line('gateway', 'hello');
    out.error('bad');
    expect(text).toBe('[gateway]  hello\n[helpdesk] bad\n');
  });
});

describe('LineSplitter', () => {
  it('joins lines split across chunks, including a multi-byte character, and flushes the tail at end', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l));
    const bytes = Buffer.from('first\r\nsecönd\nlast', 'utf8');
    const cut = bytes.indexOf(Buffer.from('ö')) + 1; // inside the two bytes of ö
    splitter.push(bytes.subarray(0, 3));
    splitter.push(bytes.subarray(3, cut));
    splitter.push(bytes.subarray(cut));
    expect(lines).toEqual(['first', 'secönd']);
    splitter.end();
    expect(lines).toEqual(['first', 'secönd', 'last']);
  });
});
