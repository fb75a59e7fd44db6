import { status } from '@grpc/grpc-js';
import { errorMetadata, fromGrpcError, toDomainError } from '@helpdesk/grpc';
import { DomainError } from '@helpdesk/platform';
import { z } from 'zod';
import { errorDetails } from './error-details';
import { errorDetailsSchema } from './schemas/common.schema';

/** A backend's DomainError as the gateway's gRPC client rebuilds it from the status and its metadata. */
function overTheWire(err: DomainError): DomainError {
  const metadata = errorMetadata(err);
  return fromGrpcError(
    Object.assign(new Error(err.message), { code: status.INVALID_ARGUMENT, details: err.message, metadata }),
  );
}

describe('errorDetails', () => {
  const zodFailure = (() => {
    const result = z
      .strictObject({ requester: z.object({ email: z.email() }), tags: z.array(z.string()) })
      .safeParse({ requester: { email: 'nope' }, tags: ['a', 7], tenantId: 'x' });
    if (result.success) throw new Error('expected a validation failure');
    return result.error;
  })();

  it('answers every form a failure arrives in as {fields: [{path, message}]}', () => {
    const backendZod = toDomainError(zodFailure);
    const cases: Array<[unknown, unknown]> = [
      [
        zodFailure,
        {
          fields: [
            { path: ['requester', 'email'], message: expect.any(String) },
            { path: ['tags', '1'], message: expect.any(String) },
            { path: ['tenantId'], message: 'Unrecognized key' },
          ],
        },
      ],
      // libs/grpc's form of a backend's zod failure: dotted paths
      [
        backendZod?.details,
        {
          fields: [
            { path: ['requester', 'email'], message: expect.any(String) },
            { path: ['tags', '1'], message: expect.any(String) },
            { path: [], message: expect.stringMatching(/tenantId/) },
          ],
        },
      ],
      [
        [{ path: ['imap', 'password'], message: 'required' }],
        { fields: [{ path: ['imap', 'password'], message: 'required' }] },
      ],
      [
        {
          fields: [
            { field: 'role', message: 'is required' },
            { field: '(request)', message: 'empty' },
          ],
        },
        {
          fields: [
            { path: ['role'], message: 'is required' },
            { path: [], message: 'empty' },
          ],
        },
      ],
      [
        { fields: [{ path: ['name'], message: 'too long' }] },
        { fields: [{ path: ['name'], message: 'too long' }] },
      ],
      [{ field: 'email' }, { fields: [{ path: ['email'], message: 'the message' }] }],
    ];
    for (const [source, expected] of cases) {
      const details = errorDetails(source, 'the message');
      expect(details).toEqual(expected);
      expect(errorDetailsSchema.safeParse(details).success).toBe(true);
    }
  });

  it('keeps the shape across the gRPC hop', () => {
    const sent = new DomainError('INVALID_ARGUMENT', 'clientId: no such client', [
      { path: ['clientId'], message: 'no such client' },
    ]);
    expect(errorDetails(overTheWire(sent).details, sent.message)).toEqual({
      fields: [{ path: ['clientId'], message: 'no such client' }],
    });
    const taken = new DomainError('ALREADY_EXISTS', 'This slug is taken', { field: 'slug' });
    expect(errorDetails(overTheWire(taken).details, taken.message)).toEqual({
      fields: [{ path: ['slug'], message: 'This slug is taken' }],
    });
  });

  it('answers nothing for context that names no field, and skips malformed entries', () => {
    for (const source of [
      undefined,
      null,
      'text',
      42,
      [],
      { currentVersion: 3 },
      { reason: 'no_running_timer' },
      { status: 'closed' },
      { missingUserIds: ['u1'] },
      [{ path: [{}], message: 'x' }, { path: ['a'] }, 'b'],
      { issues: [] },
    ]) {
      expect(errorDetails(source, 'm')).toBeUndefined();
    }
    expect(errorDetails([{ path: 'a', message: 'x' }, { message: 1 }], 'm')).toEqual({
      fields: [{ path: ['a'], message: 'x' }],
    });
  });
});
