import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { invalidArgument } from '@helpdesk/platform';

// Loopback, private, link-local (cloud metadata at 169.254.169.254), CGNAT, multicast and reserved ranges.
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
// IPv4-mapped addresses are checked as IPv4 below (BlockList would match every IPv4 address against ::ffff:0:0/96)
for (const [net, prefix] of [
  ['::', 127],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

function blockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 6 && address.toLowerCase().startsWith('::ffff:')) {
    const v4 = address.slice(7);
    if (isIP(v4) === 4) return blocked.check(v4, 'ipv4');
  }
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Refuses a URL an admin typed (the generic OAuth2 provider's issuer, and the endpoints its discovery names) when it
 * is not http(s) or its host resolves to a private, loopback, link-local or metadata address, unless the operator
 * allows private networks. A minimal guard of mail-ingest's own until libs/ has a shared one.
 */
export async function assertPublicUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidArgument('not a URL', [{ path: ['issuer'], message: 'must be a URL' }]);
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:'))
    throw invalidArgument(`${url.origin} is refused: https is required`);
  if (url.username || url.password) throw invalidArgument('a URL with credentials is refused');
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [host]
    : await lookup(host, { all: true, verbatim: true }).then(
        (found) => found.map((a) => a.address),
        () => {
          throw invalidArgument(`${url.hostname} cannot be resolved`);
        },
      );
  if (addresses.length === 0 || addresses.some(blockedAddress))
    throw invalidArgument(`${url.hostname} is a private or reserved address`);
  return url;
}
