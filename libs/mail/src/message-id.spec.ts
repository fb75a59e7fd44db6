import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { signMessageId, verifyMessageId } from './message-id';
import { subjectWithToken, ticketNumbersIn } from './ticket-token';
import { isSystemAddress } from './addresses';

const secret = 'a-secret-of-at-least-thirty-two-characters';

describe('signed Message-IDs', () => {
  it('verify for their tenant and name their ticket', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), fc.domain(), (tenantId, ticketId, domain) => {
        const id = signMessageId({ secret, tenantId, ticketId, domain });
        expect(verifyMessageId(`<${id}>`, tenantId, [secret])).toBe(ticketId.toLowerCase());
      }),
    );
  });

  it('do not verify for another tenant, another secret or any changed character', () => {
    const tenantId = randomUUID();
    const ticketId = randomUUID();
    const id = signMessageId({ secret, tenantId, ticketId, domain: 'support.example' });
    expect(verifyMessageId(id, randomUUID(), [secret])).toBeNull();
    expect(verifyMessageId(id, tenantId, ['another-secret-another-secret-another'])).toBeNull();
    expect(verifyMessageId(id, tenantId, ['old-secret-old-secret-old-secret-old', secret])).toBe(ticketId);
    const local = id.slice(0, id.indexOf('@'));
    for (let i = 3; i < local.length; i++) {
      if (local[i] === '.') continue;
      const changed = `${local.slice(0, i)}${local[i] === 'a' ? 'b' : 'a'}${local.slice(i + 1)}${id.slice(local.length)}`;
      expect(verifyMessageId(changed, tenantId, [secret])).toBeNull();
    }
  });

  it('answer null for anything that is not ours', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(verifyMessageId(s, randomUUID(), [secret])).toBeNull();
      }),
    );
    expect(verifyMessageId('CAF=abc@mail.gmail.com', randomUUID(), [secret])).toBeNull();
  });
});

describe('subject tokens', () => {
  it('find the numbers of [#n] tokens in order', () => {
    expect(ticketNumbersIn('Re: [#1042] Printer [#7] and [#1042]')).toEqual([1042, 7]);
    expect(ticketNumbersIn('#1042 [1042] [# 1042]')).toEqual([]);
  });

  it('put one token after the reply prefix, whatever the subject held', () => {
    expect(subjectWithToken(1042, 'Re: AW: [#1042] Printer offline', 'Re: ')).toBe(
      'Re: [#1042] Printer offline',
    );
    expect(subjectWithToken(5, 'Printer')).toBe('[#5] Printer');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.string(), (n, subject) => {
        expect(ticketNumbersIn(subjectWithToken(n, subject))).toContain(n);
      }),
    );
  });
});

describe('system addresses', () => {
  it.each([
    'MAILER-DAEMON@x.example',
    'postmaster@x.example',
    'no-reply@x.example',
    'noreply@x.example',
    'do-not-reply@x.example',
  ])('%s is one', (a) => expect(isSystemAddress(a)).toBe(true));
  it.each(['dana@x.example', 'replyguy@x.example'])('%s is not', (a) =>
    expect(isSystemAddress(a)).toBe(false),
  );
});
