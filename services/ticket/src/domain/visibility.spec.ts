import { contactMaySee } from './visibility';

const ME = 'c0000000-0000-4000-8000-000000000001';
const COLLEAGUE = 'c0000000-0000-4000-8000-000000000002';
const ACME = 'a0000000-0000-4000-8000-000000000001';
const OTHER = 'a0000000-0000-4000-8000-000000000002';

describe('contactMaySee (SPEC §8)', () => {
  const mine = { contactId: ME, clientId: ACME };
  const colleagues = { contactId: COLLEAGUE, clientId: ACME };
  const otherClient = { contactId: COLLEAGUE, clientId: OTHER };

  it('own: only the contact’s own tickets', () => {
    const viewer = { contactId: ME, clientId: ACME, portalAccess: 'own' as const };
    expect([mine, colleagues, otherClient].map((t) => contactMaySee(viewer, t))).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('client: every ticket of the contact’s client, never another client’s', () => {
    const viewer = { contactId: ME, clientId: ACME, portalAccess: 'client' as const };
    expect([mine, colleagues, otherClient].map((t) => contactMaySee(viewer, t))).toEqual([true, true, false]);
  });

  it('client access without a client: only the own tickets; none: nothing', () => {
    expect(
      contactMaySee(
        { contactId: ME, clientId: null, portalAccess: 'client' },
        { contactId: COLLEAGUE, clientId: null },
      ),
    ).toBe(false);
    expect(contactMaySee({ contactId: ME, clientId: ACME, portalAccess: 'none' }, mine)).toBe(false);
  });
});
