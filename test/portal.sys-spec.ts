// The customer portal and the web contact form (docs/product/portal.md, /portal/* and /public/contact) through the
// whole platform: contacts sign in, see only their (or their client's) tickets, never internal notes or agents'
// addresses, and a portal session cannot call the agent API.
import { randomUUID } from 'node:crypto';
import {
  printOutputsOnFailure,
  startTestPlatform,
  type TenantSession,
  type TestPlatform,
} from './support/platform';

let platform: TestPlatform;
let a: TenantSession;
let b: TenantSession;
const portalAnswers: string[] = [];
let agentEmail = '';
let slugA = '';

beforeAll(async () => {
  platform = await startTestPlatform({ label: 'portalsys' });
  [a, b] = await Promise.all([
    platform.createTenantAndLogin('Portal MSP'),
    platform.createTenantAndLogin('Other Portal MSP'),
  ]);
  agentEmail = a.email;
  const tenant = await platform.api('GET', '/api/v1/tenant', { token: a.token });
  expect(tenant.status).toBe(200);
  slugA = tenant.body.slug;
}, 180_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

printOutputsOnFailure(() => platform);

const api = (...args: Parameters<TestPlatform['api']>) => platform.api(...args);
// every answer a contact receives, to prove that nothing internal ever reaches the portal
async function portal(...args: Parameters<TestPlatform['api']>) {
  const reply = await platform.api(...args);
  portalAnswers.push(reply.text);
  return reply;
}

async function contact(token: string, email: string, portalAccess: string) {
  const res = await api('POST', '/api/v1/contacts', {
    token,
    body: { name: email.split('@')[0], email, portalAccess, password: 'portal passphrase 1' },
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function signIn(tenant: string, email: string) {
  const res = await api('POST', '/api/v1/portal/auth/login', {
    body: { tenant, email, password: 'portal passphrase 1' },
  });
  expect(res.status).toBe(200);
  return res.body.token as string;
}

describe('customer portal', () => {
  let ann = '';
  let ben = '';
  let gina = '';
  let annTicket = '';
  let benTicket = '';

  beforeAll(async () => {
    await api('POST', '/api/v1/clients', {
      token: a.token,
      body: { name: 'Acme', domains: ['acme.example'] },
    });
    await api('POST', '/api/v1/clients', {
      token: a.token,
      body: { name: 'Globex', domains: ['globex.example'] },
    });
    await contact(a.token, 'ann@acme.example', 'own');
    await contact(a.token, 'ben@acme.example', 'client');
    await contact(a.token, 'gina@globex.example', 'client');
    await contact(a.token, 'nora@acme.example', 'none');
    ann = await signIn(slugA, 'ann@acme.example');
    ben = await signIn(slugA, 'ben@acme.example');
    gina = await signIn(a.tenantId, 'gina@globex.example');
  });

  it('signs in with the tenant, e-mail and password; refuses wrong ones, no-access contacts and other tenants alike', async () => {
    for (const body of [
      { tenant: slugA, email: 'ann@acme.example', password: 'wrong password' },
      { tenant: a.tenantId, email: 'nora@acme.example', password: 'portal passphrase 1' },
      { tenant: b.tenantId, email: 'ann@acme.example', password: 'portal passphrase 1' },
    ]) {
      const res = await api('POST', '/api/v1/portal/auth/login', {
        body,
        headers: { 'x-forwarded-for': '192.0.2.70' },
      });
      expect(res.status).toBe(401);
      expect(res.body.error.message).toBe('Invalid e-mail or password');
    }
    const me = await portal('GET', '/api/v1/portal/me', { token: ann });
    expect(me.body).toMatchObject({ email: 'ann@acme.example', portalAccess: 'own' });
  });

  it('names the tenant by its slug (any case) or its id, or the deprecated tenantId; an unknown one is 404', async () => {
    const password = 'portal passphrase 1';
    for (const named of [
      { tenant: slugA },
      { tenant: slugA.toUpperCase() },
      { tenant: a.tenantId },
      { tenantId: a.tenantId },
    ]) {
      const res = await api('POST', '/api/v1/portal/auth/login', {
        body: { ...named, email: 'ann@acme.example', password },
      });
      expect(res.status).toBe(200);
      expect(res.body.contact.email).toBe('ann@acme.example');
    }
    for (const tenant of ['no-such-msp', randomUUID(), 'not a slug!']) {
      const res = await api('POST', '/api/v1/portal/auth/login', {
        body: { tenant, email: 'ann@acme.example', password },
      });
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe('No such help desk');
    }
    const unnamed = await api('POST', '/api/v1/portal/auth/login', {
      body: { email: 'ann@acme.example', password },
    });
    expect(unnamed.status).toBe(400);
    expect(unnamed.text).toContain('tenant');
  });

  it('counts only failed portal sign-ins, per contact and address: many successes pass, a stranger elsewhere locks nobody out', async () => {
    const body = { tenant: slugA, email: 'ben@acme.example', password: 'portal passphrase 1' };
    // more than LOGIN_RATE_LIMIT_MAX (5) successes in a row from one address
    for (let i = 0; i < 11; i += 1)
      expect((await api('POST', '/api/v1/portal/auth/login', { body })).status).toBe(200);
    const stranger = { 'x-forwarded-for': '198.51.100.9' };
    for (let i = 0; i < 5; i += 1) {
      const res = await api('POST', '/api/v1/portal/auth/login', {
        body: { ...body, password: `guess ${i}` },
        headers: stranger,
      });
      expect(res.status).toBe(401);
    }
    const refused = await api('POST', '/api/v1/portal/auth/login', { body, headers: stranger });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // the contact, at its own address, still signs in; a success clears its own typos
    const own = { 'x-forwarded-for': '198.51.100.10' };
    for (let round = 0; round < 2; round += 1) {
      for (let i = 0; i < 4; i += 1) {
        expect(
          (
            await api('POST', '/api/v1/portal/auth/login', {
              body: { ...body, password: 'typo' },
              headers: own,
            })
          ).status,
        ).toBe(401);
      }
      expect((await api('POST', '/api/v1/portal/auth/login', { body, headers: own })).status).toBe(200);
    }
  });

  it('opens tickets with attachments, lists what the access allows, and hides other clients’ tickets (404)', async () => {
    const photo = await platform.upload('/api/v1/portal/attachments', ann, {
      name: 'error.png',
      type: 'image/png',
      content: Buffer.from('png-bytes'),
    });
    expect(photo.status).toBe(201);
    const created = await portal('POST', '/api/v1/portal/tickets', {
      token: ann,
      body: { title: 'Cannot print', description: 'Error on screen', attachmentIds: [photo.body.id] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: 'Cannot print',
      status: 'open',
      requester: { email: 'ann@acme.example' },
    });
    annTicket = created.body.id;
    benTicket = (
      await portal('POST', '/api/v1/portal/tickets', { token: ben, body: { title: 'Slow laptop' } })
    ).body.id;
    await portal('POST', '/api/v1/portal/tickets', { token: gina, body: { title: 'Globex VPN' } });

    const titles = async (token: string) =>
      (await portal('GET', '/api/v1/portal/tickets', { token })).body.items
        .map((t: { title: string }) => t.title)
        .sort();
    expect(await titles(ann)).toEqual(['Cannot print']);
    expect(await titles(ben)).toEqual(['Cannot print', 'Slow laptop']);
    expect(await titles(gina)).toEqual(['Globex VPN']);
    expect((await portal('GET', `/api/v1/portal/tickets/${annTicket}`, { token: gina })).status).toBe(404);
    expect((await portal('GET', `/api/v1/portal/tickets/${benTicket}`, { token: ann })).status).toBe(404);
    expect(
      (
        await portal('POST', `/api/v1/portal/tickets/${annTicket}/messages`, {
          token: gina,
          body: { bodyText: 'hi' },
        })
      ).status,
    ).toBe(404);

    // the agents see it as a portal ticket with the customer's message and file
    const agentView = await api('GET', `/api/v1/tickets/${annTicket}`, { token: a.token });
    expect(agentView.body).toMatchObject({ source: 'portal', title: 'Cannot print' });
    const thread = await api('GET', `/api/v1/tickets/${annTicket}/messages`, { token: a.token });
    expect(thread.body.items[0]).toMatchObject({ kind: 'public_reply', author: { type: 'contact' } });
    expect(thread.body.items[0].attachments[0].filename).toBe('error.png');
  });

  it('shows replies but never internal notes, agents by name only; replies reopen; files of notes stay internal', async () => {
    const noteFile = await platform.upload(`/api/v1/tickets/${annTicket}/attachments`, a.token, {
      name: 'internal-diagnosis.txt',
      type: 'text/plain',
      content: Buffer.from('INTERNAL-ONLY'),
    });
    await api('POST', `/api/v1/tickets/${annTicket}/messages`, {
      token: a.token,
      body: {
        kind: 'internal_note',
        bodyText: 'INTERNAL-ONLY: the printer is end of life',
        attachmentIds: [noteFile.body.id],
      },
    });
    const replied = await api('POST', `/api/v1/tickets/${annTicket}/messages`, {
      token: a.token,
      body: { kind: 'public_reply', bodyText: 'Please try the other tray' },
    });
    expect(replied.body.ticket.status).toBe('waiting_on_customer');

    const thread = await portal('GET', `/api/v1/portal/tickets/${annTicket}/messages`, { token: ann });
    expect(thread.status).toBe(200);
    expect(
      thread.body.items.map((m: { kind: string; author: { type: string } }) => [m.kind, m.author.type]),
    ).toEqual([
      ['public_reply', 'customer'],
      ['public_reply', 'agent'],
    ]);
    expect(thread.body.items[1].author).toEqual({ type: 'agent', name: 'Portal MSP Admin' });
    expect((await platform.download(`/api/v1/portal/attachments/${noteFile.body.id}`, ann)).status).toBe(404);
    const ownFile = thread.body.items[0].attachments[0];
    expect(ownFile.url).toBe(`/api/v1/portal/attachments/${ownFile.id}`);
    expect((await platform.download(ownFile.url, ann)).body.toString()).toBe('png-bytes');
    expect((await platform.download(ownFile.url, gina)).status).toBe(404);

    const back = await portal('POST', `/api/v1/portal/tickets/${annTicket}/messages`, {
      token: ann,
      body: { bodyText: 'Did not help' },
    });
    expect(back.status).toBe(201);
    expect(back.body.ticket.status).toBe('open');
  });

  it('confirms a resolution (closes) and rates it 1–5', async () => {
    expect((await portal('POST', `/api/v1/portal/tickets/${annTicket}/confirm`, { token: ann })).status).toBe(
      409,
    );
    await api('PATCH', `/api/v1/tickets/${annTicket}`, {
      token: a.token,
      body: { status: 'resolved', resolutionDetails: 'New toner' },
    });
    const confirmed = await portal('POST', `/api/v1/portal/tickets/${annTicket}/confirm`, { token: ann });
    expect(confirmed.body).toMatchObject({ status: 'closed', resolutionDetails: 'New toner' });
    expect(
      (await portal('POST', `/api/v1/portal/tickets/${annTicket}/rating`, { token: ann, body: { score: 0 } }))
        .status,
    ).toBe(400);
    const rated = await portal('POST', `/api/v1/portal/tickets/${annTicket}/rating`, {
      token: ann,
      body: { score: 5, comment: 'Great' },
    });
    expect(rated.body.rating).toMatchObject({ score: 5, comment: 'Great' });
    expect((await api('GET', `/api/v1/tickets/${annTicket}`, { token: a.token })).body.rating.score).toBe(5);
  });

  it('keeps portal sessions and agent credentials each to their own API', async () => {
    const agentRoutes = [
      '/api/v1/tickets',
      '/api/v1/me',
      `/api/v1/tickets/${annTicket}/messages`,
      '/api/v1/contacts',
    ];
    for (const path of agentRoutes) {
      const res = await api('GET', path, { token: ann });
      expect([path, res.status]).toEqual([path, 403]);
    }
    expect((await api('GET', '/api/v1/portal/tickets', { token: a.token })).status).toBe(403);
    expect((await api('GET', '/api/v1/portal/tickets')).status).toBe(401);
  });

  it('never sent an internal note, an agent’s e-mail address or a password to the portal', () => {
    const everything = portalAnswers.join('\n');
    expect(everything).not.toContain('INTERNAL-ONLY');
    expect(everything).not.toContain('internal-diagnosis');
    expect(everything).not.toContain(agentEmail);
    expect(everything).not.toContain('portal passphrase');
  });
});

describe('web contact form', () => {
  it('opens a web_form ticket for the sender, and answers 404 for an unknown tenant', async () => {
    const res = await api('POST', '/api/v1/public/contact', {
      body: {
        tenant: slugA,
        name: 'Walk In',
        email: 'walkin@newco.example',
        subject: 'Quote please',
        message: 'For 10 ultrabooks',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.number).toBeGreaterThan(1000);
    const found = await api('GET', '/api/v1/tickets?q=ultrabooks', { token: a.token });
    expect(found.body.items[0]).toMatchObject({
      source: 'web_form',
      title: 'Quote please',
      raisedBy: 'walkin@newco.example',
    });
    const nowhere = await api('POST', '/api/v1/public/contact', {
      body: { tenantId: randomUUID(), name: 'X', email: 'x@y.example', subject: 's', message: 'm' },
    });
    expect(nowhere.status).toBe(404);
    const bySlug = await api('POST', '/api/v1/public/contact', {
      body: { tenant: 'no-such-msp', name: 'X', email: 'x@y.example', subject: 's', message: 'm' },
    });
    expect(bySlug.status).toBe(404);
    expect(
      (await api('POST', '/api/v1/public/contact', { body: { tenantId: a.tenantId, email: 'bad' } })).status,
    ).toBe(400);
  });
});
