import { Metadata } from '@grpc/grpc-js';
import { ticketV1 } from '@helpdesk/contracts';
import { DomainError, createLogger, notFound } from '@helpdesk/platform';
import { z } from 'zod';
import { createGrpcClient, type PromiseClient } from './client';
import { startGrpcServer, type RunningGrpcServer } from './server';
import { unary } from './unary';

const logLines: string[] = [];
const logger = createLogger('grpc-test', 'debug', { write: (s: string) => void logLines.push(s) });

const listSchema = z.object({ tenantId: z.uuid() });

function ticket(tenantId: string, id: string): ticketV1.Ticket {
  return {
    id,
    tenantId,
    number: 42,
    title: 'Printer on fire',
    descriptionHtml: '',
    descriptionText: '',
    status: 'open',
    priority: 'high',
    source: 'web',
    raisedBy: 'agent',
    version: 1,
    openedAt: new Date('2026-01-02T03:04:05.000Z'),
  };
}

const implementation: ticketV1.TicketServiceServer = {
  getTicket: unary<ticketV1.GetTicketRequest, ticketV1.GetTicketResponse>(async (req, metadata) => {
    if (req.id === 'missing') throw notFound('Ticket');
    if (req.id === 'crash') throw new Error('db exploded: secret-row-data');
    if (req.id === 'echo-meta') return { ticket: ticket(req.tenantId, String(metadata.get('x-request-id')[0])) };
    return { ticket: ticket(req.tenantId, req.id) };
  }, logger),
  createTicket: unary<ticketV1.CreateTicketRequest, ticketV1.CreateTicketResponse>(async (req) => {
    await new Promise((r) => setTimeout(r, 400));
    return { ticket: ticket(req.tenantId, 'slow') };
  }, logger),
  listTickets: unary<ticketV1.ListTicketsRequest, ticketV1.ListTicketsResponse>(async (req) => {
    listSchema.parse(req);
    return { items: [], nextCursor: '' };
  }, logger),
};

describe('gRPC round trip (real server on port 0)', () => {
  let server: RunningGrpcServer;
  let client: PromiseClient<ticketV1.TicketServiceClient>;

  beforeAll(async () => {
    server = await startGrpcServer({
      port: 0,
      host: '127.0.0.1',
      logger,
      services: [{ definition: ticketV1.TicketServiceService, implementation }],
    });
    client = createGrpcClient(ticketV1.TicketServiceClient, `127.0.0.1:${server.port}`, { deadlineMs: 2_000 });
  });

  afterAll(async () => {
    client.close();
    await server.shutdown();
  });

  it('is typed from the ts-proto client', () => {
    // @ts-expect-error not an rpc of TicketService
    expect(client.noSuchRpc).toBeUndefined();
    // @ts-expect-error wrong request shape (never invoked)
    const typed = () => client.getTicket({ tenantId: 1 });
    expect(typeof typed).toBe('function');
    expect(Object.keys(client).sort()).toEqual(['close', 'createTicket', 'getTicket', 'listTickets']);
  });

  it('returns the decoded response', async () => {
    const res = await client.getTicket({ tenantId: 't-1', id: 'abc' });
    expect(res.ticket?.id).toBe('abc');
    expect(res.ticket?.tenantId).toBe('t-1');
    expect(res.ticket?.number).toBe(42);
    expect(res.ticket?.openedAt?.toISOString()).toBe('2026-01-02T03:04:05.000Z');
  });

  it('passes call metadata', async () => {
    const metadata = new Metadata();
    metadata.set('x-request-id', 'req-77');
    const res = await client.getTicket({ tenantId: 't-1', id: 'echo-meta' }, { metadata });
    expect(res.ticket?.id).toBe('req-77');
  });

  it('rejects with the DomainError the handler threw', async () => {
    const err = await client.getTicket({ tenantId: 't-1', id: 'missing' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'Ticket not found' });
  });

  it('maps a ZodError to INVALID_ARGUMENT with the issues as details', async () => {
    const err = await client.listTickets({ tenantId: 'not-a-uuid', status: [], priority: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('INVALID_ARGUMENT');
    expect((err as DomainError).message).toContain('tenantId');
    expect((err as DomainError).details).toEqual({ issues: [{ path: 'tenantId', message: expect.any(String) }] });
  });

  it('hides unexpected errors as INTERNAL and logs them', async () => {
    const err = await client.getTicket({ tenantId: 't-1', id: 'crash' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('INTERNAL');
    expect((err as DomainError).message).not.toContain('secret-row-data');
    expect(logLines.some((l) => l.includes('grpc handler failed') && l.includes('GetTicket'))).toBe(true);
  });

  it('applies the deadline: a slow handler rejects with UNAVAILABLE', async () => {
    const started = Date.now();
    const err = await client
      .createTicket({ tenantId: 't-1', title: 'x', description: '', priority: 'low', source: 'web' }, { deadlineMs: 100 })
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(380);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('UNAVAILABLE');
  });

  it('uses the client default deadline', async () => {
    const fast = createGrpcClient(ticketV1.TicketServiceClient, `127.0.0.1:${server.port}`, { deadlineMs: 100 });
    try {
      const err = await fast
        .createTicket({ tenantId: 't-1', title: 'x', description: '', priority: 'low', source: 'web' })
        .catch((e: unknown) => e);
      expect((err as DomainError).code).toBe('UNAVAILABLE');
    } finally {
      fast.close();
    }
  });

  it('reports an unreachable server as UNAVAILABLE', async () => {
    const nowhere = createGrpcClient(ticketV1.TicketServiceClient, '127.0.0.1:1', { deadlineMs: 500 });
    try {
      const err = await nowhere.getTicket({ tenantId: 't', id: 'x' }).catch((e: unknown) => e);
      expect((err as DomainError).code).toBe('UNAVAILABLE');
    } finally {
      nowhere.close();
    }
  });
});
