import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardedHttpAgents, postGuarded } from './guarded-http';
import {
  addressRefusal,
  checkUrl,
  classifyAddress,
  guardedLookup,
  SsrfRefusedError,
  type LookupFunction,
} from './ssrf';

const strict = { allowPrivateNetworks: false };
const open = { allowPrivateNetworks: true };

/** A resolver with fixed answers: what a DNS name pointing inside (or changing later) would give. */
function fakeDns(answers: Record<string, string[]>): LookupFunction & { calls: string[] } {
  const calls: string[] = [];
  const fn: LookupFunction = (hostname, _options, callback) => {
    calls.push(hostname);
    const list = answers[hostname];
    if (!list) {
      const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      err.code = 'ENOTFOUND';
      return callback(err, []);
    }
    callback(
      null,
      list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };
  return Object.assign(fn, { calls });
}

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['93.184.216.34', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['127.0.0.1', 'private'],
    ['127.255.255.254', 'private'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['::1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'private'],
    ['[::1]', 'private'],
    ['::ffff:127.0.0.1', 'private'],
    ['::ffff:7f00:1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:c0a8:0101::1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['0.0.0.0', 'reserved'],
    ['::', 'reserved'],
    ['224.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['ff02::1', 'reserved'],
    ['not-an-ip', 'reserved'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('keeps public what only looks close to a private range', () => {
    for (const ip of [
      '172.15.255.255',
      '172.32.0.1',
      '100.63.255.255',
      '100.128.0.1',
      '11.0.0.1',
      '192.169.0.1',
    ])
      expect(classifyAddress(ip)).toBe('public');
  });
});

describe('addressRefusal', () => {
  it('refuses private ranges unless the operator allows them; metadata in every mode', () => {
    expect(addressRefusal('10.0.0.5', strict)).toMatch(/private/);
    expect(addressRefusal('10.0.0.5', open)).toBeNull();
    expect(addressRefusal('169.254.169.254', open)).toMatch(/metadata/);
    expect(addressRefusal('fd00:ec2::254', open)).toMatch(/metadata/);
    expect(addressRefusal('::ffff:169.254.169.254', open)).toMatch(/metadata/);
    expect(addressRefusal('0.0.0.0', open)).toMatch(/not a public unicast/);
    expect(addressRefusal('8.8.8.8', strict)).toBeNull();
  });
});

describe('checkUrl (save time)', () => {
  const dns = fakeDns({
    'hooks.example.com': ['93.184.216.34'],
    'inside.example.com': ['10.0.0.7'],
    'mixed.example.com': ['93.184.216.34', '127.0.0.1'],
    'metadata.example.com': ['169.254.169.254'],
    'v6inside.example.com': ['fd00::5'],
  });
  const refusal = async (url: string, policy = strict) => {
    try {
      await checkUrl(url, policy, dns);
      return null;
    } catch (err) {
      expect(err).toBeInstanceOf(SsrfRefusedError);
      return (err as Error).message;
    }
  };

  it('accepts an http or https URL that resolves to public addresses only', async () => {
    expect(await refusal('https://hooks.example.com/in')).toBeNull();
    expect(await refusal('http://hooks.example.com:8080/in')).toBeNull();
    expect(await refusal('https://93.184.216.34/in')).toBeNull();
  });

  it('refuses other schemes and what is not a URL', async () => {
    expect(await refusal('ftp://hooks.example.com/')).toMatch(/only http and https/);
    expect(await refusal('file:///etc/passwd')).toMatch(/only http and https/);
    expect(await refusal('gopher://hooks.example.com/')).toMatch(/only http and https/);
    expect(await refusal('not a url')).toMatch(/not a valid URL/);
  });

  it('refuses literal private, loopback and metadata addresses, IPv6 and IPv4-mapped included', async () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://10.0.0.1/',
      'http://[::1]/',
      'http://[fd00::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/',
      'http://0.0.0.0/',
      // the URL parser's other spellings of 127.0.0.1
      'http://2130706433/',
      'http://0x7f.1/',
    ])
      expect(await refusal(url)).not.toBeNull();
  });

  it('refuses a DNS name that resolves to a private address, or has one private answer among public ones', async () => {
    expect(await refusal('https://inside.example.com/')).toMatch(/inside\.example\.com: 10\.0\.0\.7 is a/);
    expect(await refusal('https://mixed.example.com/')).toMatch(/127\.0\.0\.1/);
    expect(await refusal('https://v6inside.example.com/')).toMatch(/fd00::5/);
    expect(await refusal('https://nowhere.example.com/')).toMatch(/does not resolve/);
  });

  it('allows private networks when the operator says so, never metadata', async () => {
    expect(await refusal('https://inside.example.com/', open)).toBeNull();
    expect(await refusal('http://127.0.0.1:9000/', open)).toBeNull();
    expect(await refusal('https://metadata.example.com/', open)).toMatch(/metadata/);
    expect(await refusal('http://169.254.169.254/', open)).toMatch(/metadata/);
  });
});

describe('guardedLookup', () => {
  it('answers the checked addresses in both of the shapes net.connect asks for', (done) => {
    const lookup = guardedLookup(strict, fakeDns({ 'a.example': ['93.184.216.34', '2606:4700::1'] }));
    lookup('a.example', { all: true }, (err, all) => {
      expect(err).toBeNull();
      expect(all).toEqual([
        { address: '93.184.216.34', family: 4 },
        { address: '2606:4700::1', family: 6 },
      ]);
      lookup('a.example', { family: 6 }, (err2, one, family) => {
        expect(err2).toBeNull();
        expect([one, family]).toEqual(['2606:4700::1', 6]);
        done();
      });
    });
  });
});

describe('postGuarded (every connection)', () => {
  let server: http.Server;
  let port: number;
  const seen: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      if (req.url === '/redirect') {
        res.writeHead(302, { location: '/elsewhere' }).end();
      } else if (req.url === '/big') {
        res.writeHead(500);
        res.end(Buffer.alloc(1024 * 1024, 'x'));
      } else if (req.url === '/slow') {
        setTimeout(() => res.writeHead(200).end('late'), 1_000);
      } else {
        req.resume();
        req.on('end', () => res.writeHead(204).end());
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (agents: ReturnType<typeof guardedHttpAgents>, url: string, timeoutMs = 5_000) =>
    postGuarded(agents, { url, headers: {}, body: '{}', timeoutMs, maxResponseBytes: 1024 });

  it('refuses at connection time a name that resolves inside, and never reaches the receiver', async () => {
    // saved while it resolved outside; now it points at loopback (DNS rebinding)
    const dns = fakeDns({ 'receiver.example': ['127.0.0.1'] });
    const agents = guardedHttpAgents(strict, { resolve: dns });
    const before = seen.length;
    const result = await post(agents, `http://receiver.example:${port}/in`);
    agents.destroy();
    expect(result).toMatchObject({ statusCode: 0, refused: true });
    expect(result.error).toMatch(/receiver\.example: 127\.0\.0\.1 is a loopback/);
    expect(dns.calls).toContain('receiver.example');
    expect(seen.length).toBe(before);
  });

  it('refuses a literal loopback address before connecting', async () => {
    const agents = guardedHttpAgents(strict);
    const before = seen.length;
    const result = await post(agents, `http://127.0.0.1:${port}/in`);
    agents.destroy();
    expect(result).toMatchObject({ statusCode: 0, refused: true });
    expect(seen.length).toBe(before);
  });

  it('connects to a private receiver when allowed, follows no redirect, caps the body and keeps the deadline', async () => {
    const agents = guardedHttpAgents(open, { resolve: fakeDns({ 'receiver.example': ['127.0.0.1'] }) });
    expect(await post(agents, `http://receiver.example:${port}/in`)).toMatchObject({
      statusCode: 204,
      error: null,
      refused: false,
      timedOut: false,
    });
    const redirected = await post(agents, `http://127.0.0.1:${port}/redirect`);
    expect(redirected.statusCode).toBe(302);
    expect(seen).not.toContain('/elsewhere');
    const big = await post(agents, `http://127.0.0.1:${port}/big`);
    expect(big.statusCode).toBe(500);
    expect(big.body.length).toBe(1024);
    const slow = await post(agents, `http://127.0.0.1:${port}/slow`, 200);
    expect(slow).toMatchObject({ statusCode: 0, timedOut: true });
    agents.destroy();
  });

  it('refuses the metadata address even when private networks are allowed', async () => {
    const agents = guardedHttpAgents(open, { resolve: fakeDns({ 'meta.example': ['169.254.169.254'] }) });
    const result = await post(agents, 'http://meta.example/latest/meta-data/');
    agents.destroy();
    expect(result.refused).toBe(true);
    expect(result.error).toMatch(/metadata/);
  });
});
