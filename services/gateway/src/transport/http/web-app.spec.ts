import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { notFoundHandler } from './error-handler';
import { securityHeaders } from './middleware/security.middleware';
import { webApp } from './web-app';

describe('the web app served by the gateway', () => {
  let dir: string;
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hd-web-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>console</title>');
    await writeFile(path.join(dir, 'portal.html'), '<!doctype html><title>portal</title>');
    await writeFile(path.join(dir, 'assets', 'console-AbC123.js'), 'export {};');
    const app = express();
    app.use(securityHeaders());
    app.get('/api/v1/ping', (_req, res) => void res.json({ ok: true }));
    app.use(webApp(dir)!);
    app.use(notFoundHandler());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => {
    await close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers the console at / and its client routes, never cached, under a CSP without inline scripts', async () => {
    for (const p of ['/', '/tickets/5b0c0f2e-2d7a-4f57-9a57-1c1c3b0d8e11', '/clients']) {
      const res = await fetch(`${base}${p}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>console</title>');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
    }
  });

  it('answers the portal at /portal/<slug> and below', async () => {
    for (const p of ['/portal/demo', '/portal/demo/tickets/1', '/portal/demo/verify']) {
      const res = await fetch(`${base}${p}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>portal</title>');
    }
  });

  it('caches hashed assets for a year; a missing file is a 404, not the page', async () => {
    const asset = await fetch(`${base}/assets/console-AbC123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${base}/assets/gone-XyZ.js`)).status).toBe(404);
    expect((await fetch(`${base}/favicon.ico`)).status).toBe(404);
  });

  it('never answers the API paths with a page, and keeps the API policy strict', async () => {
    const unknown = await fetch(`${base}/api/v1/nope`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/application\/json/);
    expect((await fetch(`${base}/api/elsewhere`)).status).toBe(404);
    const api = await fetch(`${base}/api/v1/ping`);
    expect(api.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('is not mounted without a bundle', async () => {
    expect(webApp(path.join(dir, 'missing'))).toBeUndefined();
  });
});
