import { decodeKeysetCursor, encodeKeysetCursor, InvalidCursorError, isUuid } from './keyset-cursor';

describe('keyset cursor', () => {
  const position = { at: new Date('2026-03-10T08:00:00.123Z'), id: '0b6f3a3e-8a0e-4f0e-9a57-3f1c2d7e9b10' };

  it('round-trips, lower-casing the id', () => {
    expect(decodeKeysetCursor(encodeKeysetCursor(position))).toEqual(position);
    expect(decodeKeysetCursor(encodeKeysetCursor({ ...position, id: position.id.toUpperCase() })).id).toBe(
      position.id,
    );
  });

  it.each([
    '',
    'not base64!',
    Buffer.from('{"a":"x","i":"y"}').toString('base64url'),
    Buffer.from('{"a":"2026-03-10T08:00:00Z","i":"0b6f3a3e-8a0e-4f0e-9a57-3f1c2d7e9b10"}').toString(
      'base64url',
    ),
    Buffer.from('[]').toString('base64url'),
    'A'.repeat(600),
  ])('refuses %p', (raw) => {
    expect(() => decodeKeysetCursor(raw)).toThrow(InvalidCursorError);
  });

  it('knows a uuid', () => {
    expect(isUuid(position.id)).toBe(true);
    expect(isUuid('0b6f3a3e8a0e4f0e9a573f1c2d7e9b10')).toBe(false);
  });
});
