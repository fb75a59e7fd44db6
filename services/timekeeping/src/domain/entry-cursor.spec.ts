import { decodeEntryCursor, encodeEntryCursor, InvalidCursorError } from './entry-cursor';

describe('entry cursor', () => {
  const cursor = { startedAt: new Date('2026-03-10T08:00:00.123Z'), id: '0b6f3a3e-8a0e-4f0e-9a57-3f1c2d7e9b10' };

  it('round-trips', () => {
    expect(decodeEntryCursor(encodeEntryCursor(cursor))).toEqual(cursor);
  });

  it.each(['', 'not base64!', Buffer.from('{"s":"x","i":"y"}').toString('base64url'), Buffer.from('[]').toString('base64url')])(
    'refuses %p',
    (raw) => {
      expect(() => decodeEntryCursor(raw)).toThrow(InvalidCursorError);
    },
  );
});
