import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cacheHits, generationFingerprint, generationUpToDate, recordGeneration } from './generate';

describe('skipping generation that is up to date', () => {
  let root: string;
  const write = async (rel: string, content: string) => {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  };

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'hd-generate-'));
    await write('proto/helpdesk/ticket.proto', 'syntax = "proto3";');
    await write('buf.gen.yaml', 'version: v2');
    await write('package-lock.json', '{}');
    await write('services/ticket/prisma/schema.prisma', 'model Ticket { id String @id }');
    await mkdir(path.join(root, 'services', 'gateway', 'src'), { recursive: true });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const generate = async () => {
    await write('libs/contracts/src/gen/helpdesk/ticket.ts', 'export {}');
    await write('services/ticket/src/infra/prisma/generated/client.ts', 'export {}');
    await write('services/web/src/api/gen/schema.ts', 'export {}');
  };

  it('is not up to date on a fresh clone (no outputs) nor before anything was recorded', async () => {
    expect(generationFingerprint(root)).toBeUndefined();
    expect(generationUpToDate(root)).toBe(false);
    await generate();
    expect(generationUpToDate(root)).toBe(false);
    recordGeneration(root);
    expect(generationUpToDate(root)).toBe(true);
  });

  it('is stale once an input changes or an output goes', async () => {
    await generate();
    recordGeneration(root);
    await write('services/ticket/prisma/schema.prisma', 'model Ticket { id String @id\n title String }');
    expect(generationUpToDate(root)).toBe(false);
    recordGeneration(root);
    await write('proto/helpdesk/sla.proto', 'syntax = "proto3";');
    expect(generationUpToDate(root)).toBe(false);
    recordGeneration(root);
    await rm(path.join(root, 'services/ticket/src/infra/prisma/generated'), { recursive: true });
    expect(generationUpToDate(root)).toBe(false);
  });

  it("is stale when a gateway route changes (the web app's client is generated from them)", async () => {
    await generate();
    recordGeneration(root);
    await write('services/gateway/src/transport/http/routes/tickets.routes.ts', 'export const x = 1;');
    expect(generationUpToDate(root)).toBe(false);
    recordGeneration(root);
    await rm(path.join(root, 'services/web/src/api/gen'), { recursive: true });
    expect(generationUpToDate(root)).toBe(false);
  });

  it("reads nx's cache summary", () => {
    expect(cacheHits('  Cache:             7/7 hit (100%)\n')).toEqual({ hit: 7, total: 7 });
    expect(cacheHits('  Cache:             0/7 hit (0%)')).toEqual({ hit: 0, total: 7 });
    expect(cacheHits('nothing')).toBeUndefined();
  });
});
