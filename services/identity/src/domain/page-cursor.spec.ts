import fc from 'fast-check';
import { decodeCursor, encodeCursor } from './page-cursor';

describe('page cursor', () => {
  it('round-trips any position', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(0), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.uuid(),
        (createdAt, id) => {
          const decoded = decodeCursor(encodeCursor({ createdAt, id }));
          expect(decoded?.createdAt.getTime()).toBe(createdAt.getTime());
          expect(decoded?.id).toBe(id);
        },
      ),
    );
  });

  it('is opaque base64url', () => {
    expect(encodeCursor({ createdAt: new Date(), id: '0f8fad5b-d9cb-469f-a165-70867728950e' })).toMatch(
      /^[A-Za-z0-9_-]+$/,
    );
  });

  it.each([
    '',
    'not a cursor',
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('["2020-01-01T00:00:00.000Z","x"]').toString('base64url'),
    Buffer.from('{').toString('base64url'),
  ])('rejects %j', (cursor) => expect(decodeCursor(cursor)).toBeUndefined());
});
