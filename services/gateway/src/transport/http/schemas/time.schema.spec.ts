import { CreateEntryRequest, UpdateEntryRequest } from '@helpdesk/contracts/timekeeping/v1/timekeeping';
import { createTimeEntryBodySchema, updateTimeEntryBodySchema } from './time.schema';

const ticketId = '5aae4f2d-76d5-461e-9872-c0b47aa5f80f';

// Found by the REST fuzz: `durationMinutes: -9007199254740991` passed validation and the int32 encoder of the gRPC
// call threw, a 500. What the schema accepts must fit the wire; the 1..1440 rule stays the service's.
describe('time entry durations', () => {
  it('refuses a duration the int32 field cannot carry', () => {
    for (const durationMinutes of [-9007199254740991, 2 ** 31, -(2 ** 31) - 1, 1e15]) {
      expect(createTimeEntryBodySchema.safeParse({ ticketId, durationMinutes }).success).toBe(false);
      expect(updateTimeEntryBodySchema.safeParse({ durationMinutes }).success).toBe(false);
    }
  });

  it('passes every duration it accepts to the gRPC encoder, absurd ones included, for the service to judge', () => {
    for (const durationMinutes of [-(2 ** 31), -1, 0, 3000, 2 ** 31 - 1]) {
      const body = updateTimeEntryBodySchema.parse({ durationMinutes });
      expect(() =>
        UpdateEntryRequest.encode(UpdateEntryRequest.fromPartial({ durationMinutes: body.durationMinutes })),
      ).not.toThrow();
      const created = createTimeEntryBodySchema.parse({ ticketId, durationMinutes });
      expect(() =>
        CreateEntryRequest.encode(
          CreateEntryRequest.fromPartial({ durationMinutes: created.durationMinutes }),
        ),
      ).not.toThrow();
    }
  });
});
