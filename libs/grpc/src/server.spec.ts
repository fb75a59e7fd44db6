import * as grpc from '@grpc/grpc-js';
import { ticketV1 } from '@helpdesk/contracts';
import { createLogger } from '@helpdesk/platform';
import { service as healthService } from 'grpc-health-check';
import { createGrpcClient } from './client';
import { startGrpcServer } from './server';
import { unary } from './unary';

const logger = createLogger('grpc-test', 'silent');

const HealthClient = grpc.makeGenericClientConstructor(healthService as grpc.ServiceDefinition, 'grpc.health.v1.Health');

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
    const client = createGrpcClient(ticketV1.TicketServiceClient, `127.0.0.1:${running.port}`, { deadlineMs: 10_000 });
    const inFlight = client.getTicket(ticketV1.GetTicketRequest.fromPartial({ tenantId: 't', id: 'x' })).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await running.shutdown();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await inFlight).toMatchObject({ code: 'UNAVAILABLE' });
    client.close();
  });
});
