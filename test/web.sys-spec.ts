// The agent console and the customer portal (SPEC §11) in a real headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core; never a downloaded browser) against the whole platform: an agent signs in, works a
// ticket made through the API (note, reply, status, assign), a contact signs in to the portal and sees only its own
// ticket, the reply and never the note, confirms and rates. Every page runs under the gateway's strict CSP.
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from '@helpdesk/testing';
import { buildWeb } from '../deploy/local/src/web-build';
import {
  printOutputsOnFailure,
  startTestPlatform,
  type TenantSession,
  type TestPlatform,
} from './support/platform';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// WEB_SCREENSHOTS_DIR=docs/screenshots refreshes the README's pictures; by default they are test output
const SHOTS = path.resolve(repoRoot, process.env.WEB_SCREENSHOTS_DIR ?? 'test/output/web');
const PASSWORD = 'portal passphrase 1';

let platform: TestPlatform;
let admin: TenantSession;
let context: BrowserContext;
let profile: string;
let slug = '';
let ticketId = '';
let otherTicketId = '';
let contactEmail = '';
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  // the bundle the gateway serves, rebuilt only when its sources changed
  await buildWeb({ cwd: repoRoot });
  [platform, profile] = await Promise.all([
    // the webhook page's receiver is on loopback
    startTestPlatform({
      label: 'websys',
      env: { notification: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_POLL_INTERVAL_MS: '200' } },
    }),
    mkdtemp(path.join(tmpdir(), 'hd-chromium-')),
  ]);
  admin = await platform.createTenantAndLogin('Web MSP');
  const api = (method: string, p: string, body?: unknown) =>
    platform.api(method, p, { token: admin.token, body });
  slug = (await api('GET', '/api/v1/tenant')).body.slug;

  const [acme, globex] = await Promise.all([
    api('POST', '/api/v1/clients', { name: 'Acme Corp', domains: ['acme.example'] }),
    api('POST', '/api/v1/clients', { name: 'Globex', domains: ['globex.example'] }),
  ]);
  expect([acme.status, globex.status]).toEqual([201, 201]);
  contactEmail = 'jane@acme.example';
  const [jane, hank] = await Promise.all([
    api('POST', '/api/v1/contacts', {
      name: 'Jane Doe',
      email: contactEmail,
      clientId: acme.body.id,
      portalAccess: 'own',
      password: PASSWORD,
    }),
    api('POST', '/api/v1/contacts', {
      name: 'Hank Scorpio',
      email: 'hank@globex.example',
      clientId: globex.body.id,
    }),
  ]);
  expect([jane.status, hank.status]).toEqual([201, 201]);
  const [mine, other] = await Promise.all([
    api('POST', '/api/v1/tickets', {
      title: 'Printer on floor 2 is offline',
      description: '<p>It shows <b>error 49</b> since this morning.</p>',
      priority: 'high',
      clientId: acme.body.id,
      contactId: jane.body.id,
    }),
    api('POST', '/api/v1/tickets', {
      title: 'Globex VPN certificate expired',
      clientId: globex.body.id,
      contactId: hank.body.id,
    }),
  ]);
  expect([mine.status, other.status]).toEqual([201, 201]);
  ticketId = mine.body.id;
  otherTicketId = other.body.id;

  await mkdir(SHOTS, { recursive: true });
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1280, height: 860 },
    timezoneId: 'Europe/Berlin',
  });
}, 240_000);

afterAll(async () => {
  await context?.close();
  await platform?.stop();
  if (profile) await rm(profile, { recursive: true, force: true });
}, 60_000);

printOutputsOnFailure(() => platform);

/** A new tab that records script errors and CSP violations (Chromium reports both on the console). */
async function newPage(): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text()))
      pageErrors.push(`csp: ${msg.text()}`);
  });
  return page;
}

/** Retries `read` until `check` passes on its value (10 s), like a user waiting for the page to settle. */
function eventually<T>(read: () => Promise<T> | T, timeoutMs = 10_000) {
  const settle = async (check: (value: T) => void) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      try {
        check(value);
        return;
      } catch (err) {
        if (Date.now() > until) throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  return {
    toBe: (expected: unknown) => settle((v) => expect(v).toBe(expected)),
    toEqual: (expected: unknown) => settle((v) => expect(v).toEqual(expected)),
  };
}

async function ticket(id: string) {
  const res = await platform.api('GET', `/api/v1/tickets/${id}`, { token: admin.token });
  expect(res.status).toBe(200);
  return res.body;
}

/**
 * Waits until no ticket changes any more (the list through the API reads the same twice, 1.5 s apart): the
 * platform's consumers (automatic replies, SLA clocks) touch new tickets for a while, which reorders a list sorted by
 * the last change under a test that walks it row by row.
 */
async function ticketsSettled(): Promise<void> {
  const read = async () => {
    const res = await platform.api('GET', '/api/v1/tickets?limit=200', { token: admin.token });
    expect(res.status).toBe(200);
    return JSON.stringify(
      (res.body.items as { id: string; version: number }[]).map((t) => [t.id, t.version]),
    );
  };
  const until = Date.now() + 60_000;
  let last = await read();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const now = await read();
    if (now === last || Date.now() > until) return;
    last = now;
  }
}

describe('the agent console', () => {
  let page: Page;
  beforeAll(async () => {
    page = await newPage();
  });

  it('is served under a strict CSP with no inline script, and works under it', async () => {
    const res = await page.goto(`${platform.base}/`);
    expect(res?.status()).toBe(200);
    const csp = res!.headers()['content-security-policy']!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(res!.headers()['cache-control']).toBe('no-cache');
    expect(await page.locator('script:not([src])').count()).toBe(0);
    // the app rendered (its script ran under the policy)
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const asset = await platform.api('GET', (await page.locator('script[src]').first().getAttribute('src'))!);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('shows the API’s error on a failed sign-in, then signs in and keeps the token out of the address', async () => {
    await page.getByLabel('E-mail', { exact: true }).fill(admin.email);
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'UNAUTHENTICATED' }).waitFor();
    await page.getByLabel('Password', { exact: true }).fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Tickets' }).waitFor();
    expect(page.url()).not.toMatch(/token|eyJ/);
    // (page code as strings: the tests' tsconfig has no DOM types)
    const stored = await page.evaluate(
      '({ local: Object.keys(localStorage).length, cookies: document.cookie })',
    );
    expect(stored).toEqual({ local: 0, cookies: '' });
  });

  it('lists tickets as views, with search and filters', async () => {
    await page.getByRole('link', { name: 'All open' }).click();
    const rows = page.locator('table.tickets tbody tr');
    await rows.filter({ hasText: 'Printer on floor 2' }).waitFor();
    await rows.filter({ hasText: 'Globex VPN' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'console-list.png') });
    await page.getByRole('link', { name: 'Unassigned' }).click();
    await rows.filter({ hasText: 'Printer on floor 2' }).waitFor();
    await page.getByLabel('Priority').selectOption('high');
    await eventually(() => rows.count()).toBe(1);
    expect(page.url()).toContain('priority=high');
    await page.getByLabel('Priority').selectOption('');
    await page.getByRole('searchbox', { name: 'Search' }).fill('certificate');
    await page.getByRole('button', { name: 'Search' }).click();
    await eventually(() => rows.allInnerTexts()).toEqual([expect.stringContaining('Globex VPN')]);
    // a view keeps the search; nothing is assigned to the admin yet
    await page.getByRole('link', { name: 'Mine' }).click();
    await page.getByText('No tickets in this view.').waitFor();
    expect(page.url()).toContain('q=certificate');
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await eventually(() => page.url()).toBe(`${platform.base}/?view=mine`);
  });

  it('walks the list with j/k and opens the ticket with Enter; ? shows the shortcuts', async () => {
    await ticketsSettled();
    // another view and back: the list is fetched again, in its settled order
    await page.getByRole('link', { name: 'Unassigned' }).click();
    await page.getByRole('link', { name: 'All open' }).click();
    await page.locator('table.tickets tbody tr').first().waitFor();
    for (let shown = ''; ;) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const now = (await page.locator('table.tickets tbody tr').allInnerTexts()).join('|');
      if (now === shown) break;
      shown = now;
    }
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    const rows = page.locator('table.tickets tbody tr');
    const texts = await rows.allInnerTexts();
    const target = texts.findIndex((t) => t.includes('Printer on floor 2'));
    expect(target).toBeGreaterThanOrEqual(0);
    // one key at a time, as a person who looks at the highlighted row before the next key
    const selected = (i: number) => eventually(() => rows.nth(i).getAttribute('aria-selected')).toBe('true');
    for (let i = 0; i <= target; i += 1) {
      await page.keyboard.press('j');
      await selected(i);
    }
    if (target > 0) {
      await page.keyboard.press('k');
      await selected(target - 1);
      await page.keyboard.press('j');
      await selected(target);
    }
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/tickets/${ticketId}`);
    await page.getByRole('heading', { name: /Printer on floor 2/ }).waitFor();
    // the description is the API's sanitized HTML, rendered as HTML
    await page.locator('.description b', { hasText: 'error 49' }).waitFor();
  });

  it('posts an internal note (n) and a public reply (r), told apart in the thread', async () => {
    await page.keyboard.press('n');
    await page.getByLabel('Internal note (agents only)').fill('Toner is fine; suspect the network port.');
    await page.getByRole('button', { name: 'Add note' }).click();
    const note = page.locator('.thread li[data-kind="internal_note"]', {
      hasText: 'suspect the network port',
    });
    await note.waitFor();
    await eventually(() => note.locator('.kind-label').innerText()).toBe('Internal note');

    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('r');
    await page.getByLabel('Reply to the customer').fill('We have reset the printer port; please try again.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    const reply = page.locator('.thread li[data-kind="public_reply"]', { hasText: 'reset the printer port' });
    await reply.waitFor();
    const [noteBg, replyBg] = await Promise.all([
      page.evaluate<string>(
        `getComputedStyle(document.querySelector('.thread li[data-kind="internal_note"]')).backgroundColor`,
      ),
      page.evaluate<string>(
        `getComputedStyle(document.querySelector('.thread li[data-kind="public_reply"]')).backgroundColor`,
      ),
    ]);
    expect(noteBg).not.toBe(replyBg);
    // an agent's public reply waits on the customer
    await eventually(async () => (await ticket(ticketId)).status).toBe('waiting_on_customer');
    await page.locator('aside').getByLabel('Status').waitFor();
    await eventually(() => page.locator('aside').getByLabel('Status').inputValue()).toBe(
      'waiting_on_customer',
    );
  });

  it('assigns to me (a) and changes status in the side panel with If-Match', async () => {
    const before = (await ticket(ticketId)).version as number;
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('a');
    await eventually(async () => (await ticket(ticketId)).assigneeId).toBe(admin.adminId);
    await page.locator('aside').getByLabel('Status').selectOption('resolved');
    await eventually(async () => (await ticket(ticketId)).status).toBe('resolved');
    expect((await ticket(ticketId)).version).toBeGreaterThan(before);
    await page
      .locator('aside')
      .getByText(/version \d+/)
      .waitFor();

    // an edit made elsewhere shows without a reload (the live stream refetches the ticket), and the page's next
    // edit carries the new version
    const current = await ticket(ticketId);
    const elsewhere = await platform.api('PATCH', `/api/v1/tickets/${ticketId}`, {
      token: admin.token,
      headers: { 'if-match': String(current.version) },
      body: { priority: 'critical' },
    });
    expect(elsewhere.status).toBe(200);
    await eventually(() => page.locator('aside').getByLabel('Priority').inputValue()).toBe('critical');
    await page.locator('aside').getByLabel('Category').selectOption('Hardware');
    await eventually(async () => (await ticket(ticketId)).category).toBe('Hardware');
    await page.locator('.history summary').click();
    await page.locator('.history li').first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'console-ticket.png'), fullPage: true });
  });

  it('shows a ticket made elsewhere at the top of the list without a reload', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tickets' }).click();
    await page.getByRole('link', { name: 'All open' }).click();
    await page.locator('table.tickets tbody tr').first().waitFor();
    await page.locator('.live.live').waitFor();
    const made = await platform.api('POST', '/api/v1/tickets', {
      token: admin.token,
      body: { title: 'New laptop for Sam', priority: 'low' },
    });
    expect(made.status).toBe(201);
    await eventually(() => page.locator('table.tickets tbody tr').first().innerText()).toEqual(
      expect.stringContaining('New laptop for Sam'),
    );
  });

  it('rings the bell when another agent assigns a ticket to me, and opens the ticket from it', async () => {
    const email = 'sam.agent@web-msp.example';
    const password = 'agent passphrase 1';
    const user = await platform.api('POST', '/api/v1/users', {
      token: admin.token,
      body: { email, name: 'Sam Agent', role: 'agent', password },
    });
    expect(user.status).toBe(201);
    const login = await platform.api('POST', '/api/v1/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    const current = await ticket(otherTicketId);
    const assigned = await platform.api('PATCH', `/api/v1/tickets/${otherTicketId}`, {
      token: login.body.token,
      headers: { 'if-match': String(current.version) },
      body: { assigneeId: admin.adminId },
    });
    expect(assigned.status).toBe(200);
    const bell = page.getByRole('button', { name: /^Notifications, \d+ unread$/ });
    await eventually(() => bell.getAttribute('aria-label')).toBe('Notifications, 1 unread');
    await bell.click();
    const item = page
      .getByRole('region', { name: 'Notifications' })
      .getByRole('button', { name: /assigned to you by Sam Agent/ });
    await item.waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'console-notifications.png') });
    await item.click();
    await page.waitForURL(`**/tickets/${otherTicketId}`);
    await eventually(() => bell.getAttribute('aria-label')).toBe('Notifications, 0 unread');
  });

  it('draws the reports of the period: figures, charts and SLA compliance per client', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    // the read model follows the events, and the page looks again every 15 s: the three tickets made so far (two
    // before the tests, one live) once it caught up
    const created = page.getByRole('definition').first();
    await eventually(() => created.innerText(), 45_000).toBe('3');
    await page.getByRole('img', { name: 'Created per day' }).waitFor();
    const rows = page.getByRole('table', { name: 'SLA compliance' }).locator('tbody tr');
    await eventually(() => rows.allInnerTexts(), 45_000).toEqual(
      expect.arrayContaining([expect.stringContaining('Acme Corp'), expect.stringContaining('Globex')]),
    );
    await page.screenshot({ path: path.join(SHOTS, 'console-reports.png'), fullPage: true });
  });

  it('adds a webhook, shows its secret once, and lists its deliveries with a retry', async () => {
    const received: string[] = [];
    const receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(String(req.headers['webhook-id']));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    try {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
      const form = page.getByRole('form', { name: 'New webhook' });
      await form.getByLabel('URL (https)').fill(url);
      await form.getByLabel(/^Events/).fill('ticket.created');
      await form.getByRole('button', { name: 'Add webhook' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /whsec_/ })
        .waitFor();
      await page.getByRole('button', { name: 'I stored it' }).click();
      expect(await page.content()).not.toContain('whsec_');

      const made = await platform.api('POST', '/api/v1/tickets', {
        token: admin.token,
        body: { title: 'Webhook check', priority: 'low' },
      });
      expect(made.status).toBe(201);
      await eventually(() => received.length).toBe(1);
      const row = page.getByRole('table', { name: 'Webhooks' }).locator('tr', { hasText: url });
      await row.getByRole('button', { name: 'Deliveries' }).click();
      const log = page.getByRole('table', { name: `Deliveries to ${url}` });
      await log.locator('tr', { hasText: 'delivered' }).waitFor();
      await log.getByRole('button', { name: 'Send again' }).click();
      // the same event again: the same webhook-id
      await eventually(() => received.length).toBe(2);
      expect(received[1]).toBe(received[0]);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('lets an admin add a user, change the role, switch the user off, and make a team', async () => {
    const main = page.getByRole('navigation', { name: 'Main' });
    await main.getByRole('link', { name: 'Users' }).click();
    const form = page.getByRole('form', { name: 'New user' });
    await form.getByLabel('Name').fill('Tina Tech');
    await form.getByLabel('E-mail').fill('tina@web-msp.example');
    await form.getByLabel('Initial password').fill('tina passphrase 1');
    await form.getByRole('button', { name: 'Add user' }).click();
    const row = page.getByRole('table', { name: 'Users' }).locator('tr', { hasText: 'Tina Tech' });
    await row.waitFor();
    await row.getByLabel('Role of Tina Tech').selectOption('admin');
    await row.getByRole('button', { name: 'Deactivate Tina Tech' }).click();
    await row.getByRole('button', { name: 'Activate Tina Tech' }).waitFor();
    const tina = async () => {
      const users = await platform.api('GET', '/api/v1/users?limit=200', { token: admin.token });
      const found = (users.body.items as { email: string; role: string; active: boolean }[]).find(
        (u) => u.email === 'tina@web-msp.example',
      );
      return found && { role: found.role, active: found.active };
    };
    await eventually(tina).toEqual({ role: 'admin', active: false });
    // a switched-off user cannot sign in
    const login = await platform.api('POST', '/api/v1/auth/login', {
      body: { email: 'tina@web-msp.example', password: 'tina passphrase 1' },
    });
    expect(login.status).toBe(401);

    await main.getByRole('link', { name: 'Teams' }).click();
    const team = page.getByRole('form', { name: 'New team' });
    await team.getByLabel('Name').fill('Network');
    await team.getByLabel(/^Sam Agent/).check();
    await team.getByRole('button', { name: 'Add team' }).click();
    await page
      .getByRole('table', { name: 'Teams' })
      .locator('tr', { hasText: 'Network' })
      .getByText('Sam Agent')
      .waitFor();
  });
});

describe('the customer portal', () => {
  let page: Page;
  beforeAll(async () => {
    page = await newPage();
    // a phone
    await page.setViewportSize({ width: 375, height: 740 });
  });

  it('signs the contact in by password under the same CSP', async () => {
    const res = await page.goto(`${platform.base}/portal/${slug}`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(await page.locator('script:not([src])').count()).toBe(0);
    await page
      .getByRole('form', { name: 'Sign in with a password' })
      .getByLabel('E-mail', { exact: true })
      .fill(contactEmail);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your tickets' }).waitFor();
  });

  it('shows only the contact’s own ticket, with the reply and never the internal note', async () => {
    const cards = page.locator('.cards li');
    await cards.filter({ hasText: 'Printer on floor 2' }).waitFor();
    expect(await cards.count()).toBe(1);
    expect(await page.content()).not.toContain('Globex');
    await page.getByRole('link', { name: /Printer on floor 2/ }).click();
    await page.getByText('reset the printer port').waitFor();
    const text = await page.locator('main').innerText();
    expect(text).not.toContain('suspect the network port');
    expect(text).not.toContain('Internal note');
    // the other client's ticket is not there, even by its address
    await page.goto(`${platform.base}/portal/${slug}/tickets/${otherTicketId}`);
    await page.getByRole('alert').filter({ hasText: 'NOT_FOUND' }).waitFor();
    await page.goBack();
    await page.getByText('reset the printer port').waitFor();
    // no sideways scrolling on a 375-px screen
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.screenshot({ path: path.join(SHOTS, 'portal-ticket.png'), fullPage: true });
  });

  it('confirms the resolution and rates it', async () => {
    await page.getByRole('button', { name: 'Yes, it is solved' }).click();
    await eventually(async () => (await ticket(ticketId)).status).toBe('closed');
    await page.getByRole('radio', { name: '5' }).check();
    await page.getByLabel('Comment (optional)').fill('Quick and friendly');
    await page.getByRole('button', { name: 'Rate' }).click();
    await page.getByText('You rated this 5 of 5').waitFor();
    expect((await ticket(ticketId)).rating).toMatchObject({ score: 5, comment: 'Quick and friendly' });
  });

  it('opens a ticket and replies on it', async () => {
    await page.getByRole('link', { name: 'New ticket' }).click();
    await page.getByLabel('Subject').fill('Laptop will not charge');
    await page.getByLabel('What happened?').fill('The light stays off.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('heading', { name: /Laptop will not charge/ }).waitFor();
    await page.getByLabel('Your reply').fill('It is a Dell XPS 13.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.locator('.thread li', { hasText: 'Dell XPS 13' }).waitFor();
    const list = await platform.api('GET', '/api/v1/tickets?q=charge', { token: admin.token });
    expect(list.body.items.map((t: { title: string }) => t.title)).toContain('Laptop will not charge');
  });

  it("shows the agent's reply and never a note, live, without a reload", async () => {
    const list = await platform.api('GET', '/api/v1/tickets?q=charge', { token: admin.token });
    const id = (list.body.items as { id: string; title: string }[]).find(
      (t) => t.title === 'Laptop will not charge',
    )!.id;
    const post = (kind: string, bodyText: string) =>
      platform.api('POST', `/api/v1/tickets/${id}/messages`, {
        token: admin.token,
        body: { kind, bodyText },
      });
    expect((await post('internal_note', 'Warranty ran out in May.')).status).toBe(201);
    expect((await post('public_reply', 'Please try another charger first.')).status).toBe(201);
    await page.locator('.thread li', { hasText: 'another charger' }).waitFor();
    expect(await page.content()).not.toContain('Warranty ran out');
  });

  it('ran every page without a script error or a CSP violation', () => {
    expect(pageErrors).toEqual([]);
  });
});
