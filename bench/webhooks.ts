// `npm run bench:webhooks`: webhook deliveries per second from the notification service (its own process,
// database and stream prefix) to a local receiver, beside a bare signed POST loop to the same receiver in the same
// run (the raw limit of this machine's HMAC + HTTP path at the same concurrency). Prints figures; asserts nothing.
import { sleep } from './waiting';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEnvelope } from '@helpdesk/bus';
import { ticketEventsV1, webhookV1 } from '@helpdesk/contracts';
import { createGrpcClient } from '@helpdesk/grpc';
import { manifestEnv, readinessUrl } from '@helpdesk/platform';
import {
  NATS_URL,
  createTestDatabase,
  freePortsFor,
  startProcess,
  uniquePrefix,
  waitForHttp,
} from '@helpdesk/testing';
import { manifestOf } from '../services/manifests';
import { Cleanup, runBench, benchBus } from './platform';
import { machineLine } from './cpu';

/** Endpoints of the tenant: one worker lane each (an endpoint's deliveries go out one at a time). */
const ENDPOINTS = Number(process.env.BENCH_WEBHOOK_ENDPOINTS ?? 16);
const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 500);
const log = (line = ''): void => console.log(line);

async function startReceiver() {
  let count = 0;
  const byPath = new Map<string, string[]>();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      const list = byPath.get(req.url ?? '') ?? [];
      list.push(String(req.headers['webhook-id']));
      byPath.set(req.url ?? '', list);
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    count: () => count,
    byPath,
    reset: () => {
      count = 0;
      byPath.clear();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** `lanes` loops side by side, each POSTing signed bodies one after another over a keep-alive agent. */
async function bareLoop(port: number, lanes: number, total: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: lanes });
  const key = randomBytes(32);
  const body = JSON.stringify({
    id: randomUUID(),
    type: 'helpdesk.ticket.created',
    data: { ticket: { title: 'x'.repeat(600) } },
  });
  const post = (id: string) =>
    new Promise<void>((resolve, reject) => {
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/bare',
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'webhook-id': id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': `v1,${signature}`,
          },
        },
        (res) => {
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < total) {
        next++;
        await post(randomUUID());
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return total / seconds;
}

async function main(cleanup: Cleanup): Promise<void> {
  log(`webhook delivery benchmark · ${machineLine()} · ${ENDPOINTS} endpoints × ${EVENTS} events`);
  const receiver = await startReceiver();
  cleanup.defer('close the receiver', () => receiver.close());

  // 1. the raw limit: signed POSTs at the same concurrency, nothing else
  const total = ENDPOINTS * EVENTS;
  await bareLoop(receiver.port, ENDPOINTS, Math.min(500, total)); // warm-up
  const bare = await bareLoop(receiver.port, ENDPOINTS, total);
  log(`bare signed POST loop: ${total} POSTs, ${ENDPOINTS} lanes, ${bare.toFixed(0)} POSTs/s`);
  receiver.reset();

  // 2. the notification service as a process, fed by events on the bus
  const prefix = uniquePrefix('benchwh');
  const db = await createTestDatabase('notification');
  cleanup.defer(`drop database ${db.name}`, () => db.drop());
  const bus = await benchBus(cleanup, prefix, 'bench-webhooks', true);
  const manifest = manifestOf('notification');
  await Promise.all(manifest.streams.consumes.map((domain) => bus.ensureStream(domain)));
  const allPorts = await freePortsFor([manifest]);
  const service = startProcess('notification', `services/notification/${manifest.entry}`, {
    ...manifestEnv(manifest, {
      ports: allPorts,
      databaseUrl: db.url,
      secrets: {
        mailSecretKey: randomBytes(32).toString('base64'),
        messageIdSecret: randomBytes(32).toString('hex'),
      },
    }),
    NATS_URL,
    BUS_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_CONCURRENCY: String(ENDPOINTS),
  });
  cleanup.defer('stop the notification service', () => service.stop(5_000));
  await waitForHttp(readinessUrl(manifest, allPorts.notification!), 60_000);
  const client = createGrpcClient(
    webhookV1.WebhookServiceClient,
    `127.0.0.1:${allPorts.notification!.grpc}`,
    {
      deadlineMs: 10_000,
    },
  );
  cleanup.defer('close the gRPC client', async () => client.close());

  const tenantId = randomUUID();
  for (let i = 0; i < ENDPOINTS; i++)
    await client.createWebhook({
      tenantId,
      actor: undefined,
      url: `http://127.0.0.1:${receiver.port}/hook-${i}`,
      events: ['ticket.created'],
      description: '',
    });

  const envelopes = Array.from({ length: EVENTS }, (_, i) =>
    createEnvelope({
      type: 'helpdesk.ticket.created',
      tenantId,
      data: ticketEventsV1.TicketCreatedEvent.toJSON(
        ticketEventsV1.TicketCreatedEvent.fromPartial({
          ticket: {
            id: randomUUID(),
            tenantId,
            number: 1000 + i,
            title: `Benchmark ticket ${i}`,
            status: 'open',
          },
        }),
      ),
    }),
  );
  const started = performance.now();
  for (let i = 0; i < envelopes.length; i += 100)
    await Promise.all(
      envelopes
        .slice(i, i + 100)
        .map((e) => bus.js.publish(bus.subject(e.type), JSON.stringify(e), { msgID: e.id })),
    );
  const publishedMs = performance.now() - started;
  const deadline = Date.now() + 10 * 60_000;
  while (receiver.count() < total) {
    if (Date.now() > deadline) throw new Error(`only ${receiver.count()} of ${total} deliveries arrived`);
    await sleep(50);
  }
  const seconds = (performance.now() - started) / 1000;
  const rate = total / seconds;
  const order = envelopes.map((e) => e.id);
  const inOrder = [...receiver.byPath.values()].every((ids) => ids.join() === order.join());
  log(
    `webhooks: ${EVENTS} events published in ${(publishedMs / 1000).toFixed(1)} s → ${total} deliveries (consumed, written, claimed, signed, POSTed, recorded) in ${seconds.toFixed(1)} s: ${rate.toFixed(0)} deliveries/s, ${((100 * rate) / bare).toFixed(0)} % of the bare loop; every endpoint in event order: ${inOrder ? 'yes' : 'NO'}`,
  );
}

void runBench(main, 15 * 60_000);
