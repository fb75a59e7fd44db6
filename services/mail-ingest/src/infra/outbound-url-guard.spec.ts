import { DomainError } from '@helpdesk/platform';
import { assertPublicUrl } from './outbound-url-guard';

describe('assertPublicUrl (the generic OAuth2 issuer an admin types)', () => {
  it.each([
    'https://127.0.0.1/',
    'https://10.1.2.3/',
    'https://172.16.0.1/',
    'https://192.168.1.1/',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/',
    'https://0.0.0.0/',
    'https://[::1]/',
    'https://[fe80::1]/',
    'https://[fd00::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://localhost/',
  ])('refuses %s', async (url) => {
    await expect(assertPublicUrl(url, false)).rejects.toBeInstanceOf(DomainError);
  });

  it('refuses plain http, other schemes, credentials in the URL, and what is not a URL', async () => {
    for (const url of ['http://93.184.215.14/', 'file:///etc/passwd', 'https://u:p@93.184.215.14/', 'nope'])
      await expect(assertPublicUrl(url, false)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('takes a public address, and private ones (and http) only when the operator allows them', async () => {
    await expect(assertPublicUrl('https://93.184.215.14/tenant/v2.0', false)).resolves.toBeInstanceOf(URL);
    await expect(assertPublicUrl('https://[2606:4700::1111]/', false)).resolves.toBeInstanceOf(URL);
    await expect(assertPublicUrl('http://127.0.0.1:8080/', true)).resolves.toBeInstanceOf(URL);
    await expect(assertPublicUrl('ftp://127.0.0.1/', true)).rejects.toBeInstanceOf(DomainError);
  });
});
