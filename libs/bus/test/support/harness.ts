// Real PostgreSQL and NATS for the bus integration tests: a database and a stream prefix per run.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { freePort } from '@helpdesk/testing';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JetStreamManager, StoredMsg } from 'nats';
import { Client } from 'pg';
import pino from 'pino';
import { OUTBOX_TABLES_SQL } from '../../src/outbox';

export const PG_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
export const testLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database holding the outbox and inbox tables plus `extraSql`. */
export async function createTestDatabase(extraSql = ''): Promise<TestDatabase> {
  const name = `hd_test_bus_${uniqueSuffix()}`;
  await withClient(PG_ADMIN_URL, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  await withClient(url.toString(), (c) => c.query(OUTBOX_TABLES_SQL + extraSql));
  return {
    url: url.toString(),
    name,
    drop: () =>
      withClient(PG_ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

export async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export { deletePrefixedStreams } from '@helpdesk/testing';

/** Every message stored in a stream, in order. */
export async function readStream(jsm: JetStreamManager, stream: string): Promise<StoredMsg[]> {
  const info = await jsm.streams.info(stream);
  const out: StoredMsg[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    try {
      out.push(await jsm.streams.getMessage(stream, { seq }));
    } catch {
      // deleted message: gap in the sequence
    }
  }
  return out;
}

import { delay, waitFor } from '@helpdesk/testing';
export { delay, waitFor };

/** A private nats-server (JetStream, own store directory) that a test may stop and start again. */
export interface PrivateNats {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

export async function createPrivateNats(): Promise<PrivateNats> {
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'hd-bus-nats-'));
  let child: ChildProcess | undefined;
  const server: PrivateNats = {
    url: `nats://127.0.0.1:${port}`,
    async start() {
      const proc = spawn(
        process.env.NATS_SERVER_BIN ?? 'nats-server',
        ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir],
        {
          stdio: 'ignore',
        },
      );
      child = proc;
      await waitFor('private nats-server to listen', () => canConnect(port), 10_000);
    },
    async stop() {
      const proc = child;
      child = undefined;
      if (!proc || proc.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGKILL');
      await exited;
    },
    async dispose() {
      await server.stop();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
