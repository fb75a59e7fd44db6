// Hostile input for the REST API (issue 18): every operation of the served OpenAPI document that takes a JSON body,
// query or path parameters gets property-based requests made with fast-check from its own schemas: (a) values valid
// by the schema, (b) mutations of them (a wrong type, a missing or unknown field, huge strings, deep nesting, NUL
// bytes and lone surrogates, numbers out of range, a path id that is no uuid or is another tenant's), (c) raw
// bodies that are not JSON or come in the wrong content type. Whatever the input, the answer is never a 5xx (a 503
// with Retry-After excepted) and every 4xx is SPEC §9's `{"error": {"code", "message", "details"?}}`.
// FUZZ_SEED and FUZZ_RUNS (per operation) change the fixed seed and the number of runs; a failure names the
// shrunk counterexample and the seed to replay it.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  printOutputsOnFailure,
  startTestPlatform,
  type TenantSession,
  type TestPlatform,
} from './support/platform';

const SEED = Number(process.env.FUZZ_SEED ?? 18_018);
const RUNS = Number(process.env.FUZZ_RUNS ?? 15);

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Json;
}
interface Operation {
  method: string;
  path: string;
  operationId: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Json }> };
}

// Operations left out, and why.
const SKIPPED: Record<string, string> = {
  // connects to the mailbox's IMAP and SMTP servers: the effect leaves the machine
  testMailbox: 'connects out to the mailbox servers',
  // fetches the OpenID discovery document of the issuer given (or Microsoft's / Google's): leaves the machine
  startMailboxOAuth: 'fetches the OAuth issuer discovery document from the internet',
};
// Operations that would take the fuzzed records (or the signed-in principals) away from the rest of the run go last,
// deletions the very last.
const LATE = new Set(['mergeTicket']);

// Fields whose valid values must not send anything off the machine (a mailbox's servers, a webhook's receiver):
// always a closed port on the loopback, and never mutated into another host name.
const PINNED: Record<string, fc.Arbitrary<unknown>> = {
  host: fc.constant('127.0.0.1'),
  url: fc.nat(999).map((n) => `http://127.0.0.1:9/fuzz-${n}`),
  issuer: fc.constant('http://127.0.0.1:9'),
};
// Likelier valid values for a few fields, so that more requests get past the service's own checks.
const HINTS: Record<string, fc.Arbitrary<unknown>> = {
  timezone: fc.constantFrom('Europe/Berlin', 'UTC', 'America/New_York', 'Asia/Kolkata'),
};

let platform: TestPlatform;
let a: TenantSession;
let b: TenantSession;
let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Json> } };
const tokens: Record<string, string> = {};
/** Per path resource (`tickets`, `portal/tickets`, `deliveries`…), a record of tenant A and one of tenant B. */
const ids: Record<string, { own: string; other: string }> = {};

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries from JSON Schema (the subset zod emits: type, enum, const, anyOf, $ref, properties/required,
// additionalProperties, items/prefixItems, min/max, minLength/maxLength, pattern and formats)

const deref = (schema: Json): Json => {
  let s = schema;
  for (let i = 0; i < 20 && typeof s.$ref === 'string'; i++) {
    const { $ref, ...rest } = s;
    const target = doc.components.schemas[String($ref).replace('#/components/schemas/', '')];
    if (!target) throw new Error(`unknown $ref ${String($ref)}`);
    s = { ...target, ...rest };
  }
  return s;
};

const WORD = fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/);
const email = fc.tuple(WORD, WORD).map(([local, host]) => `${local}@${host}.example`);
const isoDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

function textOf(s: Json): fc.Arbitrary<string> {
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = Math.max(min, Math.min(typeof s.maxLength === 'number' ? s.maxLength : 40, 40));
  const fits = (v: string) =>
    v.length >= min && v.length <= (typeof s.maxLength === 'number' ? s.maxLength : 1e9);
  switch (s.format) {
    case 'uuid':
      return fc.uuid({ version: 4 });
    case 'email':
      return email.filter(fits);
    case 'date-time':
      return isoDate;
    case 'date':
      return isoDate.map((d) => d.slice(0, 10));
    case 'uri':
      return fc.nat(999).map((n) => `https://example.com/${n}`);
  }
  if (typeof s.pattern === 'string') return fc.stringMatching(new RegExp(s.pattern)).filter(fits);
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: Math.max(min, 1), maxLength: max }) },
    { weight: 1, arbitrary: fc.string({ minLength: min, maxLength: max, unit: 'grapheme' }).filter(fits) },
  );
}

function valid(schema: Json, depth = 0, name?: string): fc.Arbitrary<unknown> {
  if (name && PINNED[name]) return PINNED[name];
  const s = deref(schema);
  if (name && HINTS[name] && s.type === 'string')
    return fc.oneof({ weight: 3, arbitrary: HINTS[name] }, { weight: 1, arbitrary: textOf(s) });
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
    const options = ((s.anyOf ?? s.oneOf) as Json[]).map((o) => valid(o, depth + 1, name));
    return fc.oneof(...options);
  }
  if (Array.isArray(s.type)) return fc.oneof(...s.type.map((t) => valid({ ...s, type: t }, depth, name)));
  switch (s.type) {
    case 'string':
      return textOf(s);
    case 'integer':
    case 'number': {
      const min = typeof s.minimum === 'number' ? s.minimum : -1_000_000;
      const max = typeof s.maximum === 'number' ? s.maximum : 1_000_000;
      const lo = Math.max(min, Number.MIN_SAFE_INTEGER);
      const hi = Math.min(max, Number.MAX_SAFE_INTEGER);
      if (s.type === 'number') return fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
      // a bounded range near its limits as often as in the middle
      return fc.oneof(
        fc.constantFrom(lo, hi),
        fc.integer({ min: Math.max(lo, -(2 ** 31)), max: Math.min(hi, 2 ** 31 - 1) }),
      );
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minItems = typeof s.minItems === 'number' ? s.minItems : 0;
      const maxItems = Math.max(minItems, Math.min(typeof s.maxItems === 'number' ? s.maxItems : 4, 4));
      if (Array.isArray(s.prefixItems)) {
        return fc.tuple(...(s.prefixItems as Json[]).map((p) => valid(p, depth + 1)));
      }
      const items = s.items ? valid(s.items as Json, depth + 1) : fc.string();
      return fc.array(items, { minLength: minItems, maxLength: depth > 4 ? minItems : maxItems });
    }
    case 'object':
    default: {
      const properties = (s.properties ?? {}) as Record<string, Json>;
      const required = (s.required ?? []) as string[];
      if (!s.properties && s.type !== 'object') return fc.anything({ maxDepth: 2 });
      const keys = depth > 4 ? required : Object.keys(properties);
      const record = fc.record(
        Object.fromEntries(keys.map((k) => [k, valid(properties[k]!, depth + 1, k)])),
        { requiredKeys: keys.filter((k) => required.includes(k)) },
      );
      if (s.additionalProperties && typeof s.additionalProperties === 'object' && !s.properties) {
        return fc.dictionary(WORD, valid(s.additionalProperties as Json, depth + 1), { maxKeys: 3 });
      }
      return record;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Mutations of a valid value

// Deep nesting travels as a marker that serialize() expands in the JSON text: a value thousands of levels deep
// would overflow the stack of the test's own JSON.stringify (and of fast-check's report) before the gateway's.
const deep = (depth: number, kind: 'array' | 'object') => `\u0001deep:${kind}:${depth}\u0001`;
function serialize(v: unknown): string {
  return (JSON.stringify(v) ?? '').replace(/"\\u0001deep:(array|object):(\d+)\\u0001"/g, (_m, kind, n) =>
    kind === 'array'
      ? `${'['.repeat(Number(n))}1${']'.repeat(Number(n))}`
      : `${'{"a":'.repeat(Number(n))}1${'}'.repeat(Number(n))}`,
  );
}
const hostileString = fc.oneof(
  fc.string().map((s) => `${s}\u0000${s}`),
  fc.string().map((s) => `${s}\ud800`),
  fc.string().map((s) => `\udfff${s}\u0000`),
  fc.constantFrom('\u0000', '\ud83d', 'a\u0000b', '\u202e\u0000', '%00', "'; DROP TABLE tickets; --"),
  fc.integer({ min: 1_000, max: 300_000 }).map((n) => 'x'.repeat(n)),
  fc.constant('ü'.repeat(2_000_000)),
);
const wrongType = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, '', [], {}, [null], { '': null }),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 2 ** 64, 1e-320, Number.MAX_SAFE_INTEGER),
  fc.constantFrom(50, 500, 5_000, 50_000).chain((d) => fc.constantFrom(deep(d, 'array'), deep(d, 'object'))),
  hostileString,
  fc.string(),
  fc.integer(),
);

/** Every place a value sits at in `v`: the path from the root (objects and arrays). */
function places(v: unknown, path: Array<string | number> = [], out: Array<Array<string | number>> = []) {
  out.push(path);
  if (path.length > 6) return out;
  if (Array.isArray(v)) v.forEach((x, i) => places(x, [...path, i], out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) if (!PINNED[k]) places(x, [...path, k], out);
  return out;
}
function setAt(v: unknown, path: Array<string | number>, replace: (old: unknown) => unknown): unknown {
  if (!path.length) return replace(v);
  const copy = (Array.isArray(v) ? [...v] : { ...(v as Json) }) as Record<string | number, unknown>;
  const [head, ...rest] = path;
  copy[head!] = setAt(copy[head!], rest, replace);
  return copy;
}
type Mutation =
  | { kind: 'replace'; with: unknown }
  | { kind: 'delete' }
  | { kind: 'extra'; key: string; value: unknown }
  | { kind: 'numbers' };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: wrongType.map((w) => ({ kind: 'replace' as const, with: w })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'delete' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.oneof(WORD, fc.constantFrom('__proto__', 'constructor', 'tenantId', '')), wrongType)
      .map(([key, value]) => ({ kind: 'extra' as const, key, value })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'numbers' as const }) },
);
function mutate(v: unknown, where: number, m: Mutation): unknown {
  const all = places(v);
  const path = all[where % all.length]!;
  switch (m.kind) {
    case 'replace':
      return setAt(v, path, () => m.with);
    case 'delete': {
      if (!path.length) return undefined;
      const parent = path.slice(0, -1);
      const key = path[path.length - 1]!;
      return setAt(v, parent, (p) => {
        if (Array.isArray(p)) return p.filter((_x, i) => i !== key);
        const { [key]: _gone, ...rest } = p as Json;
        return rest;
      });
    }
    case 'extra': {
      const objects = all.filter((p) => {
        let x: unknown = v;
        for (const k of p) x = (x as Json)[k];
        return x !== null && typeof x === 'object' && !Array.isArray(x);
      });
      const target = objects.length ? objects[where % objects.length]! : [];
      // JSON.parse gives `__proto__` as an own key; build it the same way
      return setAt(v, target, (o) =>
        Object.assign(JSON.parse(`{${JSON.stringify(m.key)}:null}`), o, { [m.key]: m.value }),
      );
    }
    case 'numbers':
      return JSON.parse(
        JSON.stringify(v, (_k, x) => (typeof x === 'number' ? (where % 2 ? -x - 1e15 : x * 1e12 + 0.5) : x)),
      );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Requests

interface Request {
  who: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body?: string;
}

/** `s` with each lone surrogate as U+FFFD (String.prototype.toWellFormed, ES2024). */
const wellFormed = (s: string) =>
  s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

const NOT_UUIDS = fc.oneof(
  fc.constantFrom('1', 'null', 'undefined', '00000000-0000-0000-0000-00000000000g', '%E0%A4%A', '%00', '..'),
  fc.constantFrom(encodeURIComponent('\u0000'), encodeURIComponent('x'.repeat(5_000)), '%ED%A0%80'),
  fc.string({ minLength: 1, maxLength: 40 }).map((v) => encodeURIComponent(wellFormed(v))),
);

function resourceOf(path: string, param: string): string {
  const parts = path.replace('/api/v1/', '').split('/');
  const at = parts.indexOf(`{${param}}`);
  if (param === 'mailboxId') return 'mailboxes';
  const before = parts[at - 1] ?? '';
  return parts[0] === 'portal' ? `portal/${before}` : before;
}

function pathArb(op: Operation): fc.Arbitrary<string> {
  const params = (op.parameters ?? []).filter((p) => p.in === 'path');
  const values = params.map((p) => {
    const known = ids[resourceOf(op.path, p.name)];
    return fc.oneof(
      { weight: 6, arbitrary: fc.constant(known?.own ?? randomUUID()) },
      { weight: 1, arbitrary: fc.constant(known?.other ?? randomUUID()) },
      { weight: 1, arbitrary: fc.uuid({ version: 4 }) },
      { weight: 2, arbitrary: NOT_UUIDS },
    );
  });
  return fc.tuple(...values).map((vs) =>
    params.reduce((path, p, i) => {
      const v = vs[i]!;
      // a generated uuid is sent as it is; the hostile ones are already percent-encoded
      return path.replace(`{${p.name}}`, v);
    }, op.path),
  );
}

const queryValue = (v: unknown): string => (Array.isArray(v) ? v.join(',') : String(v));

function queryArb(op: Operation): fc.Arbitrary<string> {
  const params = (op.parameters ?? []).filter((p) => p.in === 'query');
  if (!params.length) return fc.constant('');
  const validQuery = fc.record(
    Object.fromEntries(params.map((p) => [p.name, valid(p.schema, 0, p.name).map(queryValue)])),
    { requiredKeys: params.filter((p) => p.required).map((p) => p.name) },
  );
  // a lone surrogate has no UTF-8: it goes as U+FFFD here, and raw as %ED%A0%80 below
  const encode = (q: Record<string, string>) =>
    Object.entries(q)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(wellFormed(v))}`)
      .join('&');
  const names = fc.constantFrom(...params.map((p) => p.name));
  const hostileQuery = fc.tuple(validQuery, names, fc.nat()).chain(([q, name, n]) =>
    fc.oneof(
      // cut to 2,000 characters: a request line over Node's 16 kB is answered 431 while fetch is still writing it,
      // which it reports as a reset (transport/http/client-error.spec.ts covers that answer)
      wrongType.map((w) =>
        encode({ ...q, [name]: (typeof w === 'string' ? w : serialize(w)).slice(0, 2_000) }),
      ),
      // repeated, nested (`a[b]=c`) and broken percent-encoding
      fc.constant(`${encode(q)}&${name}=1&${name}=2`),
      fc.constant(`${encode(q)}&${name}[x]=1&${name}[]=2`),
      fc.constantFrom('%E0%A4%A', '%', '%00', '%ED%A0%80').map((raw) => `${encode(q)}&${name}=${raw}`),
      fc.constant(`${encode(q)}&unknown${n % 10}=x`),
    ),
  );
  return fc.oneof({ weight: 1, arbitrary: validQuery.map(encode) }, { weight: 1, arbitrary: hostileQuery });
}

const RAW_BODIES = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    '{"a":',
    'null',
    '[]',
    '"x"',
    '1',
    'true',
    '{"a":1}}',
    '\u0000',
    '{"a":"\\ud800"}',
  ),
  fc.constantFrom(
    '{"__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{"x":1}}}',
    `${'['.repeat(20_000)}`,
  ),
  fc.string().map((s) => `{${s}`),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
);
const WRONG_TYPES = fc.constantFrom(
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/octet-stream',
  'message/rfc822',
);

function principalsOf(op: Operation): string[] {
  const scheme = Object.keys(op.security?.[0] ?? {})[0];
  if (!scheme) return ['anonymous'];
  if (scheme === 'operatorToken') return ['operator'];
  if (scheme === 'portalSession') return ['contact'];
  return ['admin', 'admin', 'admin', 'agent'];
}

function requestArb(op: Operation): fc.Arbitrary<Request> {
  const json = op.requestBody?.content['application/json']?.schema;
  const otherTypes = Object.keys(op.requestBody?.content ?? {}).filter((t) => t !== 'application/json');
  const headerParams = (op.parameters ?? []).filter((p) => p.in === 'header');
  const headers = fc.record(
    Object.fromEntries(
      headerParams.map((p) => [
        p.name,
        // a header is bytes: what fetch can send of a value (printable ASCII), and under Node's 16 kB for the
        // headers (over it the server answers 431 and closes before a body is sent, which fetch reports as a
        // failure; transport/http/client-error.spec.ts covers that answer)
        fc
          .oneof(valid(p.schema).map(String), hostileString)
          .map((v) => v.replace(/[^\t\x20-\x7e]/g, '?').slice(0, 8_000)),
      ]),
    ),
    { requiredKeys: [] },
  );
  const validBody = json ? valid(json) : fc.constant(undefined);
  const body: fc.Arbitrary<{ body?: string; type?: string }> = fc.oneof(
    // (a) valid by the schema
    { weight: json ? 3 : 0, arbitrary: validBody.map((v) => ({ body: serialize(v) })) },
    // (b) one mutation of a valid body
    {
      weight: json ? 4 : 0,
      arbitrary: fc
        .tuple(validBody, fc.nat(), mutation)
        .map(([v, where, m]) => ({ body: serialize(mutate(v, where, m)) })),
    },
    // (c) not JSON, or JSON in another content type (or a declared one with bytes of no sense)
    { weight: 2, arbitrary: RAW_BODIES.map((raw) => ({ body: raw, type: 'application/json' })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          json ? validBody : RAW_BODIES,
          otherTypes.length ? fc.constantFrom(...otherTypes, 'x/y') : WRONG_TYPES,
        )
        .map(([v, type]) => ({ body: typeof v === 'string' ? v : serialize(v), type })),
    },
    { weight: json ? 0 : 1, arbitrary: fc.constant({}) },
  );
  // fetch sends no body with a GET
  const bodyOrNone: typeof body = op.method === 'get' ? fc.constant({}) : body;
  return fc
    .record({
      who: fc.constantFrom(...principalsOf(op)),
      path: pathArb(op),
      query: queryArb(op),
      headers,
      body: bodyOrNone,
    })
    .map(({ who, path, query, headers, body: b }) => ({
      who,
      path,
      query,
      headers: { ...headers, ...(b.type ? { 'content-type': b.type } : {}) },
      body: b.body,
    }));
}

async function send(op: Operation, r: Request) {
  const headers: Record<string, string> = { ...r.headers };
  if (r.who !== 'anonymous') headers.authorization = `Bearer ${tokens[r.who]}`;
  if (r.body !== undefined) headers['content-type'] ??= 'application/json';
  const url = `${platform.base}${r.path}${r.query ? `?${r.query}` : ''}`;
  const res = await fetch(url, { method: op.method.toUpperCase(), headers, body: r.body });
  const text = await res.text();
  return { status: res.status, text, headers: res.headers };
}

function checkAnswer(r: Request, res: { status: number; text: string; headers: Headers }): void {
  const said = `${res.status} ${res.text.slice(0, 500)}`;
  // tenant A's principals never reach tenant B's records (SPEC: another tenant's record answers 404)
  const others = Object.values(ids).map((id) => id.other);
  if (res.status < 300 && r.who !== 'anonymous' && others.some((id) => r.path.includes(id))) {
    throw new Error(`another tenant's record answered ${said}`);
  }
  if (res.status >= 500 && !(res.status === 503 && res.headers.get('retry-after'))) {
    throw new Error(`answered ${said}`);
  }
  if (res.status >= 400 && res.status < 500) {
    let body: { error?: { code?: unknown; message?: unknown; details?: unknown } };
    try {
      body = JSON.parse(res.text);
    } catch {
      throw new Error(`a ${res.status} that is not JSON: ${said}`);
    }
    const e = body?.error;
    const ok =
      typeof e?.code === 'string' &&
      e.code !== '' &&
      typeof e.message === 'string' &&
      e.message !== '' &&
      (e.details === undefined || (typeof e.details === 'object' && e.details !== null)) &&
      Object.keys(body).length === 1;
    if (!ok) throw new Error(`a ${res.status} without the error shape: ${said}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The platform and the records the fuzzed paths point at, in two tenants

async function created(session: string, path: string, body: unknown): Promise<string> {
  const res = await platform.api('POST', path, { token: session, body });
  if (res.status !== 201 && res.status !== 200) throw new Error(`seeding ${path}: ${res.status} ${res.text}`);
  return (res.body.id ?? res.body.ticket?.id ?? res.body.message?.id) as string;
}
/** A record that only some paths point at: when the seed body is refused, those paths get an unknown id. */
async function maybeCreated(session: string, path: string, body: unknown): Promise<string> {
  return created(session, path, body).catch((err: Error) => {
    console.warn(`${err.message}: its paths get an unknown id`);
    return randomUUID();
  });
}

async function seed(t: TenantSession) {
  const tag = randomUUID().slice(0, 8);
  const out: Record<string, string> = {};
  out.clients = await created(t.token, '/api/v1/clients', {
    name: `Fuzz ${tag}`,
    domains: [`${tag}.example`],
  });
  const contactEmail = `carla@${tag}.example`;
  out.contacts = await created(t.token, '/api/v1/contacts', {
    name: 'Carla',
    email: contactEmail,
    portalAccess: 'client',
    password: 'portal passphrase 1',
  });
  out.tickets = await created(t.token, '/api/v1/tickets', {
    title: 'Fuzzed ticket',
    requester: { email: contactEmail },
  });
  out['portal/tickets'] = out.tickets;
  const reply = await platform.api('POST', `/api/v1/tickets/${out.tickets}/messages`, {
    token: t.token,
    body: { kind: 'public_reply', bodyText: 'Hello' },
  });
  out.messages = reply.body.message.id;
  const file = { name: 'a.txt', type: 'text/plain', content: Buffer.from('hello') };
  const upload = await platform.upload(`/api/v1/tickets/${out.tickets}/attachments`, t.token, file);
  out.attachments = upload.body.id;
  out['portal/attachments'] = upload.body.id;
  out['ticket-templates'] = await maybeCreated(t.token, '/api/v1/ticket-templates', {
    name: `Template ${tag}`,
  });
  out['api-keys'] = await maybeCreated(t.token, '/api/v1/api-keys', { name: `Key ${tag}` });
  // the user the fuzzed PATCH /users/:id changes: neither the signed-in admin nor the agent
  out.users = await created(t.token, '/api/v1/users', {
    email: `victor-${tag}@fuzz.example`,
    name: 'Victor',
    password: 'victor passphrase 1',
  });
  out['time-entries'] = await maybeCreated(t.token, '/api/v1/time-entries', {
    ticketId: out.tickets,
    durationMinutes: 15,
  });
  out.mailboxes = await maybeCreated(t.token, '/api/v1/mailboxes', {
    name: 'Support',
    address: `support@${tag}.example`,
    smtp: { host: '127.0.0.1', port: 9, tls: 'none' },
  });
  out.calendars = await maybeCreated(t.token, '/api/v1/calendars', {
    name: `Office ${tag}`,
    timezone: 'Europe/Berlin',
    hours: { mon: [['09:00', '17:00']] },
  });
  out['sla-policies'] = await maybeCreated(t.token, '/api/v1/sla-policies', {
    name: `SLA ${tag}`,
    targets: Object.fromEntries(
      ['critical', 'high', 'medium', 'low'].map((p) => [
        p,
        { firstResponseMinutes: 60, resolutionMinutes: 480 },
      ]),
    ),
  });
  out.webhooks = await maybeCreated(t.token, '/api/v1/webhooks', {
    url: 'http://127.0.0.1:9/hook',
    events: ['ticket.created'],
  });
  out['automation-rules'] = await maybeCreated(t.token, '/api/v1/automation-rules', {
    name: `Rule ${tag}`,
    active: false,
    trigger: { type: 'event', events: ['ticket.created'] },
    actions: [{ type: 'add_tags', tags: ['fuzz'] }],
  });
  return { out, contactEmail };
}

beforeAll(async () => {
  platform = await startTestPlatform({
    label: 'fuzzsys',
    env: { notification: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } },
  });
  [a, b] = await Promise.all([
    platform.createTenantAndLogin('Fuzz MSP'),
    platform.createTenantAndLogin('Other Fuzz MSP'),
  ]);
  const served = await platform.api('GET', '/api/v1/openapi.json');
  expect(served.status).toBe(200);
  doc = served.body;
  const [own, other] = await Promise.all([seed(a), seed(b)]);
  for (const [resource, id] of Object.entries(own.out))
    ids[resource] = { own: id, other: other.out[resource]! };
  ids.deliveries = { own: randomUUID(), other: randomUUID() };
  const agentEmail = `agnes-${randomUUID().slice(0, 6)}@fuzz.example`;
  await created(a.token, '/api/v1/users', {
    email: agentEmail,
    name: 'Agnes',
    password: 'agnes passphrase 1',
  });
  const slug = (await platform.api('GET', '/api/v1/tenant', { token: a.token })).body.slug;
  const portal = await platform.api('POST', '/api/v1/portal/auth/login', {
    body: { tenant: slug, email: own.contactEmail, password: 'portal passphrase 1' },
  });
  expect(portal.status).toBe(200);
  Object.assign(tokens, {
    admin: a.token,
    agent: await platform.login(agentEmail, 'agnes passphrase 1'),
    contact: portal.body.token,
    operator: platform.operatorToken,
  });
  console.log(`REST fuzz: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}`);
}, 240_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

printOutputsOnFailure(() => platform);

// The operations are only known once the gateway serves its document; the generated copy lists them for Jest.
const listed = require('../services/web/src/api/gen/openapi.json') as typeof doc;
const operations = Object.entries(listed.paths)
  .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ ...op, method, path })))
  .filter(
    (op) =>
      op.requestBody?.content['application/json'] ||
      (op.parameters ?? []).some((p) => p.in === 'query' || p.in === 'path') ||
      op.requestBody,
  )
  .sort((x, y) => {
    const rank = (op: Operation) => (op.method === 'delete' ? 2 : LATE.has(op.operationId) ? 1 : 0);
    return rank(x) - rank(y);
  });

describe('REST fuzz from the OpenAPI document', () => {
  it('fuzzes every operation the gateway serves', () => {
    // the generated copy the test iterates is the served document
    const served = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    const known = Object.entries(listed.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m} ${p}`),
    );
    expect(known.sort()).toEqual(served.sort());
  });

  for (const listedOp of operations) {
    const name = `${listedOp.method.toUpperCase()} ${listedOp.path} (${listedOp.operationId})`;
    const skip = SKIPPED[listedOp.operationId];
    if (skip) {
      it.skip(`${name}: ${skip}`, () => undefined);
      continue;
    }
    it(
      name,
      async () => {
        const op = {
          ...doc.paths[listedOp.path]![listedOp.method]!,
          method: listedOp.method,
          path: listedOp.path,
        };
        await fc.assert(
          fc.asyncProperty(requestArb(op), async (r) => {
            checkAnswer(r, await send(op, r));
          }),
          { seed: SEED, numRuns: RUNS, endOnFailure: false },
        );
      },
      180_000,
    );
  }
});
