import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildWeb, recordWebBuild, webBuildUpToDate, webFingerprint } from './web-build';

describe('skipping a web build that is up to date', () => {
  let root: string;
  const write = async (rel: string, content: string) => {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  };

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'hd-web-build-'));
    await write('package-lock.json', '{}');
    await write('services/web/src/console/App.tsx', 'export {}');
    await write('services/web/src/api/gen/schema.ts', 'export type paths = {}');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('is not up to date without a bundle, nor before a build was recorded', async () => {
    expect(webFingerprint(root)).toBeUndefined();
    await write('services/web/dist/index.html', '<!doctype html>');
    expect(webBuildUpToDate(root)).toBe(false);
    recordWebBuild(root);
    expect(webBuildUpToDate(root)).toBe(true);
    // nothing to do: no vite is even started
    await expect(buildWeb({ cwd: root })).resolves.toEqual({ built: false });
  });

  it('is stale once a source, the generated client or the bundle changes', async () => {
    await write('services/web/dist/index.html', '<!doctype html>');
    recordWebBuild(root);
    await write('services/web/src/console/App.tsx', 'export const x = 1;');
    expect(webBuildUpToDate(root)).toBe(false);
    recordWebBuild(root);
    await write('services/web/src/api/gen/schema.ts', 'export type paths = { a: 1 }');
    expect(webBuildUpToDate(root)).toBe(false);
    recordWebBuild(root);
    await write('services/web/dist/assets/console-x.js', '');
    expect(webBuildUpToDate(root)).toBe(false);
  });
});
