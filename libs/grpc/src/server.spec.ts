import * as grpc from '@grpc/grpc-js';
import { ticketV1 } from '@helpdesk/contracts';
import { createLogger, type DomainError } from '@helpdesk/platform';
import { assertCallerWaiting } from './call-context';
import { service as healthService } from 'grpc-health-check';
import { createGrpcClient } from './client';
import { startGrpcServer } from './server';
import { unary } from './unary';

const logger = createLogger('grpc-test', 'silent');

const HealthClient = grpc.makeGenericClientConstructor(
  healthService as grpc.ServiceDefinition,
  'grpc.health.v1.Health',
);

function checkHealth(port: number, serviceName = ''): Promise<{ status: string }> {
  const client = new HealthClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      // Encode through the definition the health library ships.
      (v: unknown) => (healthService as grpc.ServiceDefinition).Check!.requestSerialize(v),
      (b: Buffer) => (healthService as grpc.ServiceDefinition).Check!.responseDeserialize(b),
      { service: serviceName },
      { deadline: Date.now() + 2_000 },
      (err: grpc.ServiceError | null, res?: { status: string }) => {
        client.close();
        if (err) reject(err);
        else resolve(res!);
      },
    );
  });
}

const getTicketOnly = (delayMs: number) => ({
  getTicket: unary<ticketV1.GetTicketRequest, ticketV1.GetTicketResponse>(async () => {
    await new Promise((r) => setTimeout(r, delayMs));
    return { ticket: undefined };
  }),
  createTicket: unary(async () => ({})),
  listTickets: unary(async () => ({ items: [], nextCursor: '' })),
});

describe('startGrpcServer', () => {
  it('binds port 0 to a real port and answers grpc.health.v1 SERVING, NOT_SERVING once shutting down', async () => {
    const running = await startGrpcServer({
      port: 0,
      host: '127.0.0.1',
      logger,
      services: [{ definition: ticketV1.TicketServiceService, implementation: getTicketOnly(0) }],
    });
    expect(running.port).toBeGreaterThan(0);
    expect(await checkHealth(running.port)).toEqual({ status: 'SERVING' });
    const stopping = running.shutdown();
    expect(running.shutdown()).toBe(stopping);
    await stopping;
    await expect(checkHealth(running.port)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
  });

  it('shutdown waits for in-flight calls to finish', async () => {
    const running = await startGrpcServer({
      port: 0,
      host: '127.0.0.1',
      logger,
      services: [{ definition: ticketV1.TicketServiceService, implementation: getTicketOnly(300) }],
    });
    const client = createGrpcClient(ticketV1.TicketServiceClient, `127.0.0.1:${running.port}`);
    const inFlight = client.getTicket(ticketV1.GetTicketRequest.fromPartial({ tenantId: 't', id: 'x' }));
    await new Promise((r) => setTimeout(r, 50));
    await running.shutdown();
    await expect(inFlight).resolves.toEqual({ ticket: undefined });
    client.close();
  });

  it('forces shutdown after the timeout', async () => {
    const running = await startGrpcServer({
      port: 0,
      host: '127.0.0.1',
      logger,
      shutdownTimeoutMs: 100,
      services: [{ definition: ticketV1.TicketServiceService, implementation: getTicketOnly(1_000) }],
    });
    const client = createGrpcClient(ticketV1.TicketServiceClient, `127.0.0.1:${running.port}`, {
      deadlineMs: 10_000,
    });
    const inFlight = client
      .getTicket(ticketV1.GetTicketRequest.fromPartial({ tenantId: 't', id: 'x' }))
      .catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await running.shutdown();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await inFlight).toMatchObject({ code: 'UNAVAILABLE' });
    client.close();
  });

  it('past its limits answers UNAVAILABLE at once, never INTERNAL, and serves again afterwards', async () => {
    let running = 0;
    let peak = 0;
    const running$ = await startGrpcServer({
      port: 0,
      host: '127.0.0.1',
      logger,
      limits: { maxInFlight: 2, maxQueued: 3, maxQueueMs: 5_000 },
      services: [
        {
          definition: ticketV1.TicketServiceService,
          implementation: {
            ...getTicketOnly(0),
            getTicket: unary<ticketV1.GetTicketRequest, ticketV1.GetTicketResponse>(async () => {
              running += 1;
              peak = Math.max(peak, running);
              await new Promise((r) => setTimeout(r, 40));
              running -= 1;
              return { ticket: undefined };
            }),
          },
        },
      ],
    });
    const client = createGrpcClient(ticketV1.TicketServiceClient, `127.0.0.1:${running$.port}`, {
      deadlineMs: 10_000,
    });
    const request = ticketV1.GetTicketRequest.fromPartial({ tenantId: 't', id: 'x' });
    const started = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, () =>
        client.getTicket(request).then(
          () => 'ok',
          (err: DomainError) => `${err.code}: ${err.message}`,
        ),
      ),
    );
    const counts = outcomes.reduce<Record<string, number>>((m, o) => ({ ...m, [o]: (m[o] ?? 0) + 1 }), {});
    expect(Object.keys(counts).sort()).toEqual([
      'UNAVAILABLE: The service is at capacity; retry later',
      'ok',
    ]);
    // two run, three wait: the other 35 were refused without waiting for a slot
    expect(counts.ok).toBeGreaterThanOrEqual(5);
    expect(peak).toBe(2);
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(client.getTicket(request)).resolves.toEqual({ ticket: undefined });
    client.close();
    await running$.shutdown();
  });

  it('lets a handler see that its caller gave up, so that it writes nothing', async () => {
    let committed = 0;
    let refused: unknown;
    const running = await startGrpcServer({
      port: 0,
      host: '127.0.0.1',
      logger,
      services: [
        {
          definition: ticketV1.TicketServiceService,
          implementation: {
            ...getTicketOnly(0),
            getTicket: unary<ticketV1.GetTicketRequest, ticketV1.GetTicketResponse>(async () => {
              await new Promise((r) => setTimeout(r, 300));
              try {
                assertCallerWaiting();
                committed += 1;
              } catch (err) {
                refused = err;
                throw err;
              }
              return { ticket: undefined };
            }),
          },
        },
      ],
    });
    const client = createGrpcClient(ticketV1.TicketServiceClient, `127.0.0.1:${running.port}`);
    const request = ticketV1.GetTicketRequest.fromPartial({ tenantId: 't', id: 'x' });
    await expect(client.getTicket(request, { deadlineMs: 100 })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(committed).toBe(0);
    expect(refused).toMatchObject({ code: 'UNAVAILABLE' });
    // outside a call (consumers, tests) the check lets everything through
    expect(() => assertCallerWaiting()).not.toThrow();
    await expect(client.getTicket(request, { deadlineMs: 5_000 })).resolves.toEqual({ ticket: undefined });
    expect(committed).toBe(1);
    client.close();
    await running.shutdown();
  });
});
