// The SSRF guard of every outbound HTTP request whose URL a user gave (webhooks): which URLs and addresses may be
// reached, checked when the URL is saved and again on every connection (after DNS resolution, so a name that
// later resolves elsewhere cannot reach inside).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';

/** What an address is, for the guard: only `public` is reachable by default. */
export type AddressClass = 'public' | 'private' | 'metadata' | 'reserved';

/** Options of the guard. */
export interface SsrfPolicy {
  /**
   * Allow loopback, private (RFC 1918, unique-local), link-local and CGNAT addresses (tests, on-premise installs).
   * Cloud-metadata addresses stay refused.
   */
  allowPrivateNetworks: boolean;
}

/** Thrown when a URL or an address may not be reached; the message says why and is safe to show. */
export class SsrfRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SsrfRefusedError';
  }
}

type V4 = [number, number, number, number];

// Cloud instance-metadata endpoints: refused in every mode.
const METADATA_V4 = new Set([
  '169.254.169.254', // AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
  '169.254.170.2', // AWS ECS task metadata
  '169.254.169.123', // AWS time sync
  '100.100.100.200', // Alibaba Cloud
]);
const METADATA_V6 = new Set(['fd00:ec2:0:0:0:0:0:254']); // AWS IMDS over IPv6

function parseV4(ip: string): V4 | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  if (bytes.some((b) => !(b >= 0 && b <= 255))) return null;
  return bytes as V4;
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part included), or null. */
function parseV6(ip: string): number[] | null {
  let text = ip.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const lastColon = text.lastIndexOf(':');
  const dotted = text.slice(lastColon + 1);
  if (dotted.includes('.')) {
    // a trailing dotted IPv4 part is the last two groups
    const v4 = parseV4(dotted);
    if (!v4) return null;
    const hex = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
    text = `${text.slice(0, lastColon + 1)}${hex(v4[0], v4[1])}:${hex(v4[2], v4[3])}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groupsOf(halves[0]!);
  const rest = halves.length === 2 ? groupsOf(halves[1]!) : [];
  const given = head.length + rest.length;
  if (halves.length === 1 && given !== 8) return null;
  if (halves.length === 2 && given > 7) return null;
  const parse = (g: string) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN);
  const groups = [...head.map(parse), ...new Array<number>(8 - given).fill(0), ...rest.map(parse)];
  if (groups.some((g) => Number.isNaN(g))) return null;
  return groups;
}

function classifyV4([a, b, c, d]: V4): AddressClass {
  if (METADATA_V4.has(`${a}.${b}.${c}.${d}`)) return 'metadata';
  if (a === 0) return 'reserved'; // "this network"; 0.0.0.0 reaches the local host on Linux
  if (a >= 224) return 'reserved'; // multicast, 240/4, broadcast
  if (a === 127) return 'private'; // loopback
  if (a === 10) return 'private';
  if (a === 172 && b >= 16 && b <= 31) return 'private';
  if (a === 192 && b === 168) return 'private';
  if (a === 169 && b === 254) return 'private'; // link-local
  if (a === 100 && b >= 64 && b <= 127) return 'private'; // CGNAT (RFC 6598)
  if (a === 198 && (b === 18 || b === 19)) return 'private'; // benchmarking (RFC 2544)
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return 'reserved'; // IETF assignments, TEST-NET-1
  if (a === 198 && b === 51 && c === 100) return 'reserved'; // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return 'reserved'; // TEST-NET-3
  if (a === 192 && b === 88 && c === 99) return 'reserved'; // 6to4 relay anycast
  return 'public';
}

function v4Of(high: number, low: number): V4 {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff];
}

function classifyV6(g: number[]): AddressClass {
  const key = g.map((x) => x.toString(16)).join(':');
  if (METADATA_V6.has(key)) return 'metadata';
  const zeroHead = g.slice(0, 5).every((x) => x === 0);
  // ::ffff:a.b.c.d (IPv4-mapped) and ::ffff:0:a.b.c.d (IPv4-translated) are the IPv4 address
  if (zeroHead && g[5] === 0xffff) return classifyV4(v4Of(g[6]!, g[7]!));
  if (g.slice(0, 4).every((x) => x === 0) && g[4] === 0xffff && g[5] === 0)
    return classifyV4(v4Of(g[6]!, g[7]!));
  if (zeroHead && g[5] === 0) {
    if (g[6] === 0 && g[7] === 1) return 'private'; // ::1
    return 'reserved'; // ::, and the deprecated IPv4-compatible ::a.b.c.d
  }
  // NAT64 (64:ff9b::/96) reaches the embedded IPv4 address
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))
    return classifyV4(v4Of(g[6]!, g[7]!));
  if (g[0] === 0x2002) return classifyV4(v4Of(g[1]!, g[2]!)); // 6to4 embeds an IPv4 address
  if (g[0] === 0x2001 && g[1] === 0) return 'reserved'; // Teredo
  if (g[0] === 0x2001 && g[1] === 0xdb8) return 'reserved'; // documentation
  if ((g[0]! & 0xfe00) === 0xfc00) return 'private'; // unique-local fc00::/7
  if ((g[0]! & 0xffc0) === 0xfe80) return 'private'; // link-local fe80::/10
  if ((g[0]! & 0xffc0) === 0xfec0) return 'private'; // site-local (deprecated)
  if ((g[0]! & 0xff00) === 0xff00) return 'reserved'; // multicast
  return 'public';
}

/** What an IP address (v4 or v6, `[…]` brackets allowed) is; `reserved` for anything that is not one. */
export function classifyAddress(address: string): AddressClass {
  const ip = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(ip.split('%')[0]!);
  if (family === 4) return classifyV4(parseV4(ip)!);
  if (family === 6) {
    const groups = parseV6(ip);
    return groups ? classifyV6(groups) : 'reserved';
  }
  return 'reserved';
}

/** Why `address` may not be reached under `policy`, or null when it may. */
export function addressRefusal(address: string, policy: SsrfPolicy): string | null {
  switch (classifyAddress(address)) {
    case 'public':
      return null;
    case 'private':
      return policy.allowPrivateNetworks
        ? null
        : `${address} is a loopback, private, link-local or CGNAT address`;
    case 'metadata':
      return `${address} is a cloud metadata address`;
    case 'reserved':
      return `${address} is not a public unicast address`;
  }
}

/** The lookup function of `net.connect` / an http(s) Agent (`dns.lookup`'s signature). */
export type LookupFunction = (
  hostname: string,
  options: { all?: boolean; family?: number | string; hints?: number; verbatim?: boolean },
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

const systemLookup: LookupFunction = (hostname, options, callback) =>
  dnsLookup(hostname, { ...options, all: true } as { all: true }, (err, addresses) =>
    callback(err, addresses),
  );

/**
 * A `lookup` for http(s) Agents that resolves with `resolve` (default `dns.lookup`) and fails the connection when
 * any address the name resolves to is refused, so the address connected to is always one that was checked.
 */
export function guardedLookup(policy: SsrfPolicy, resolve: LookupFunction = systemLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, result) => {
      if (err) return callback(err, options.all ? [] : '', 0);
      const addresses = (Array.isArray(result) ? result : [{ address: result, family: 0 }]).map((a) => ({
        address: a.address,
        family: a.family || isIP(a.address),
      }));
      if (addresses.length === 0) {
        const e: NodeJS.ErrnoException = new Error(`${hostname} does not resolve`);
        e.code = 'ENOTFOUND';
        return callback(e, options.all ? [] : '', 0);
      }
      for (const a of addresses) {
        const refusal = addressRefusal(a.address, policy);
        if (refusal)
          return callback(new SsrfRefusedError(`${hostname}: ${refusal}`), options.all ? [] : '', 0);
      }
      const wanted =
        options.family === 6 || options.family === 'IPv6'
          ? 6
          : options.family === 4 || options.family === 'IPv4'
            ? 4
            : 0;
      const fitting = wanted ? addresses.filter((a) => a.family === wanted) : addresses;
      if (options.all) return callback(null, fitting);
      const first = fitting[0] ?? addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/** The URL as the guard reads it: http or https, a host, no IP literal that is refused. Throws SsrfRefusedError. */
export function checkUrlShape(raw: string, policy: SsrfPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SsrfRefusedError('not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new SsrfRefusedError(`only http and https URLs are allowed, not ${url.protocol.slice(0, -1)}`);
  const host = url.hostname;
  if (!host) throw new SsrfRefusedError('the URL has no host');
  const literal = host.startsWith('[') ? host.slice(1, -1) : host;
  if (isIP(literal)) {
    const refusal = addressRefusal(literal, policy);
    if (refusal) throw new SsrfRefusedError(refusal);
  }
  return url;
}

/**
 * Checks a URL when it is saved: its shape, and every address its host resolves to now. Throws
 * {@link SsrfRefusedError} with the reason; a connection later is checked again ({@link guardedLookup}).
 */
export async function checkUrl(raw: string, policy: SsrfPolicy, resolve?: LookupFunction): Promise<URL> {
  const url = checkUrlShape(raw, policy);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(host)) return url;
  const lookup = guardedLookup(policy, resolve);
  await new Promise<void>((ok, fail) =>
    lookup(host, { all: true }, (err) => {
      if (!err) return ok();
      fail(err instanceof SsrfRefusedError ? err : new SsrfRefusedError(`${host} does not resolve`));
    }),
  );
  return url;
}
