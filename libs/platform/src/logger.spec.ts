import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  return {
    lines,
    stream: { write: (s: string) => void lines.push(s) },
    json: () => lines.map((l) => JSON.parse(l)),
  };
}

describe('createLogger', () => {
  it('writes JSON with the service name and level filtering', () => {
    const out = capture();
    const logger = createLogger('ticket', 'info', out.stream);
    logger.debug('hidden');
    logger.info({ ticketId: 't1' }, 'ticket created');
    const [entry, ...rest] = out.json();
    expect(rest).toHaveLength(0);
    expect(entry).toMatchObject({ service: 'ticket', ticketId: 't1', msg: 'ticket created', level: 30 });
    // No active span: no trace fields.
    expect(entry).not.toHaveProperty('traceId');
  });

  it('redacts secrets at the top level and one level deep', () => {
    const out = capture();
    const logger = createLogger('identity', 'info', out.stream);
    logger.info(
      {
        password: 'hunter2',
        secret: 'val-s3cr3t',
        token: 'val-t0k3n',
        authorization: 'Bearer abc',
        apiKey: 'key-1',
        user: { email: 'a@b.c', password: 'nested-pw', apiKey: 'nested-key' },
        headers: { authorization: 'Bearer nested', token: 'nested-t0k3n', secret: 'nested-secret' },
      },
      'sign in',
    );
    const raw = out.lines.join('');
    for (const leaked of [
      'hunter2',
      'val-s3cr3t',
      'val-t0k3n',
      'Bearer',
      'key-1',
      'nested-pw',
      'nested-key',
      'nested-t0k3n',
      'nested-secret',
    ]) {
      expect(raw).not.toContain(leaked);
    }
    const [entry] = out.json();
    expect(entry.password).toBe('[redacted]');
    expect(entry.authorization).toBe('[redacted]');
    expect(entry.user).toEqual({ email: 'a@b.c', password: '[redacted]', apiKey: '[redacted]' });
    expect(entry.headers.authorization).toBe('[redacted]');
  });
});
