import { automaticReason, isBounce, messageIdsInHeaders, parseDeliveryStatus } from './automatic-mail';

const headers = (h: Record<string, string>) => (name: string) => h[name];

describe('automatic mail (SPEC §3)', () => {
  it.each([
    [{ 'auto-submitted': 'auto-replied' }, 'auto_submitted'],
    [{ 'auto-submitted': 'auto-generated (warning)' }, 'auto_submitted'],
    [{ precedence: 'bulk' }, 'precedence'],
    [{ precedence: 'List' }, 'precedence'],
    [{ precedence: 'junk' }, 'precedence'],
    [{ 'x-loop': 'x' }, 'header_x_loop'],
    [{ 'x-autoreply': 'yes' }, 'header_x_autoreply'],
    [{ 'x-autorespond': 'x' }, 'header_x_autorespond'],
    [{ 'x-auto-response-suppress': 'All' }, 'header_x_auto_response_suppress'],
    [{ 'list-unsubscribe': '<mailto:x>' }, 'header_list_unsubscribe'],
    [{ 'list-id': '<l.example>' }, 'header_list_id'],
  ])('%j gets no automatic reply (%s)', (h, reason) => {
    expect(automaticReason(headers(h), 'dana@client.example', [])).toBe(reason);
  });

  it('answers a person and Auto-Submitted: no', () => {
    expect(automaticReason(headers({}), 'dana@client.example', [])).toBeNull();
    expect(automaticReason(headers({ 'auto-submitted': 'no' }), 'dana@client.example', [])).toBeNull();
    expect(automaticReason(headers({ precedence: 'first-class' }), 'dana@client.example', [])).toBeNull();
  });

  it('never answers system senders or our own addresses', () => {
    expect(automaticReason(headers({}), 'MAILER-DAEMON@mx.example', [])).toBe('system_sender');
    expect(automaticReason(headers({}), 'noreply@shop.example', [])).toBe('system_sender');
    expect(automaticReason(headers({}), 'Support@MSP.example', ['support@msp.example'])).toBe('own_address');
  });

  it('recognizes delivery reports', () => {
    expect(
      isBounce(headers({ 'content-type': 'multipart/report; report-type=delivery-status; boundary=x' })),
    ).toBe(true);
    expect(isBounce(headers({ 'content-type': 'multipart/report; report-type="delivery-status"' }))).toBe(
      true,
    );
    expect(isBounce(headers({ 'return-path': '<>' }))).toBe(true);
    expect(isBounce(headers({ 'x-failed-recipients': 'a@x.example' }))).toBe(true);
    expect(
      isBounce(headers({ 'content-type': 'multipart/report; report-type=disposition-notification' })),
    ).toBe(false);
    expect(isBounce(headers({ 'return-path': '<dana@client.example>' }))).toBe(false);
  });

  it('reads the recipients of a delivery-status part and the returned Message-ID', () => {
    const status = [
      'Reporting-MTA: dns; mx.example',
      '',
      'Final-Recipient: rfc822; Fraser@Example.com',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 no such user',
      '',
      'Final-Recipient: rfc822; other@example.com',
      'Action: delayed',
      'Status: 4.2.2',
    ].join('\r\n');
    expect(parseDeliveryStatus(status)).toEqual([
      {
        recipient: 'fraser@example.com',
        action: 'failed',
        status: '5.1.1',
        diagnostic: 'smtp; 550 5.1.1 no such user',
      },
      { recipient: 'other@example.com', action: 'delayed', status: '4.2.2', diagnostic: '' },
    ]);
    expect(
      messageIdsInHeaders('From: a@b\r\nMessage-ID:\r\n <hd.abc@support.example>\r\nSubject: x'),
    ).toEqual(['hd.abc@support.example']);
  });
});
