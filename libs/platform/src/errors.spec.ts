import {
  DomainError,
  ERROR_CODES,
  conflict,
  invalidArgument,
  isDomainError,
  isErrorCode,
  notFound,
  permissionDenied,
  unauthenticated,
} from './errors';

describe('DomainError helpers', () => {
  it('carry code, message and details', () => {
    const e = notFound('Ticket');
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toBe('Ticket not found');
    expect(invalidArgument('bad', { field: 'subject' }).details).toEqual({ field: 'subject' });
    expect(conflict('stale').code).toBe('CONFLICT');
    expect(unauthenticated().code).toBe('UNAUTHENTICATED');
    expect(permissionDenied().code).toBe('PERMISSION_DENIED');
  });

  it('isDomainError and isErrorCode discriminate', () => {
    expect(isDomainError(notFound('x'))).toBe(true);
    expect(isDomainError(new Error('x'))).toBe(false);
    expect(ERROR_CODES.every(isErrorCode)).toBe(true);
    expect(isErrorCode('NOPE')).toBe(false);
  });
});
