import fc from 'fast-check';
import { decodeCursor, encodeCursor, InvalidCursorError, isUuid } from './cursor';

describe('ticket list cursor', () => {
  it('round-trips any (openedAt, id) and is URL-safe', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1970-01-01T00:00:00.000Z'),
          max: new Date('9999-12-31T23:59:59.999Z'),
          noInvalidDate: true,
        }),
        fc.uuid(),
        (openedAt, id) => {
          const encoded = encodeCursor({ openedAt, id });
          expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
          const decoded = decodeCursor(encoded);
          expect(decoded.openedAt.getTime()).toBe(openedAt.getTime());
          expect(decoded.id).toBe(id.toLowerCase());
        },
      ),
    );
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc$%^'],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['JSON null', Buffer.from('null').toString('base64url')],
    ['missing id', Buffer.from(JSON.stringify({ o: '2026-01-01T00:00:00.000Z' })).toString('base64url')],
    [
      'id not a uuid',
      Buffer.from(JSON.stringify({ o: '2026-01-01T00:00:00.000Z', i: 'x' })).toString('base64url'),
    ],
    [
      'date not ISO',
      Buffer.from(JSON.stringify({ o: 'yesterday', i: '3b0c7a5e-6c1f-4f7e-9a53-2f1d7c1b9e10' })).toString(
        'base64url',
      ),
    ],
    ['too long', 'A'.repeat(513)],
  ])('rejects a cursor that is %s', (_why, raw) => {
    expect(() => decodeCursor(raw)).toThrow(InvalidCursorError);
  });

  it('recognises uuids', () => {
    expect(isUuid('3B0C7A5E-6C1F-4F7E-9A53-2F1D7C1B9E10')).toBe(true);
    expect(isUuid('3b0c7a5e-6c1f-4f7e-9a53-2f1d7c1b9e1')).toBe(false);
    expect(isUuid('1; drop table tickets')).toBe(false);
  });
});
