import { Metadata, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { attachmentV1, ticketV1 } from '@helpdesk/contracts';
import { DomainError, createLogger, notFound } from '@helpdesk/platform';
import { z } from 'zod';
import { createGrpcClient, grpcTarget, type PromiseClient } from './client';
import { startGrpcServer, type RunningGrpcServer } from './server';
import { clientStreaming, receiveStream, sendStream, serverStreaming } from './streaming';
import { unary } from './unary';

const logLines: string[] = [];
const logger = createLogger('grpc-test', 'debug', { write: (s: string) => void logLines.push(s) });

const listSchema = z.object({ tenantId: z.uuid() });

function ticket(tenantId: string, id: string): ticketV1.Ticket {
  return ticketV1.Ticket.fromPartial({
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
  });
}

// Only what these specs call; the other RPCs answer UNIMPLEMENTED.
const implementation: Partial<ticketV1.TicketServiceServer> & UntypedServiceImplementation = {
  getTicket: unary<ticketV1.GetTicketRequest, ticketV1.GetTicketResponse>(async (req, metadata) => {
    if (req.id === 'missing') throw notFound('Ticket');
    if (req.id === 'crash') throw new Error('db exploded: secret-row-data');
    if (req.id === 'db-busy') {
      // what Prisma throws when no connection frees up for a transaction within maxWait
      throw Object.assign(
        new Error('Transaction API error: Unable to start a transaction in the given time.'),
        {
          name: 'PrismaClientKnownRequestError',
          code: 'P2028',
        },
      );
    }
    if (req.id === 'db-full') {
      // PostgreSQL at max_connections, through Prisma (P2037) or pg (SQLSTATE 53300)
      throw Object.assign(
        new Error('Too many database connections opened: sorry, too many clients already'),
        {
          code: req.tenantId === 'pg' ? '53300' : 'P2037',
        },
      );
    }
    if (req.id === 'echo-meta')
      return { ticket: ticket(req.tenantId, String(metadata.get('x-request-id')[0])) };
    return { ticket: ticket(req.tenantId, req.id) };
  }, logger),
  createTicket: unary<ticketV1.CreateTicketRequest, ticketV1.CreateTicketResponse>(async (req) => {
    await new Promise((r) => setTimeout(r, 400));
    return { ticket: ticket(req.tenantId, 'slow'), duplicate: false };
  }, logger),
  listTickets: unary<ticketV1.ListTicketsRequest, ticketV1.ListTicketsResponse>(async (req) => {
    listSchema.parse(req);
    return { items: [], nextCursor: '' };
  }, logger),
};

const get = (tenantId: string, id: string) => ticketV1.GetTicketRequest.fromPartial({ tenantId, id });

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
    client = createGrpcClient(ticketV1.TicketServiceClient, `127.0.0.1:${server.port}`, {
      deadlineMs: 2_000,
    });
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
    // every unary RPC, and no streaming one (those use sendStream / receiveStream)
    const unaryRpcs = Object.entries(ticketV1.TicketServiceService)
      .filter(([, m]) => !m.requestStream && !m.responseStream)
      .map(([name]) => name);
    expect(Object.keys(client).sort()).toEqual(['close', ...unaryRpcs].sort());
  });

  it('returns the decoded response', async () => {
    const res = await client.getTicket(get('t-1', 'abc'));
    expect(res.ticket?.id).toBe('abc');
    expect(res.ticket?.tenantId).toBe('t-1');
    expect(res.ticket?.number).toBe(42);
    expect(res.ticket?.openedAt?.toISOString()).toBe('2026-01-02T03:04:05.000Z');
  });

  it('passes call metadata', async () => {
    const metadata = new Metadata();
    metadata.set('x-request-id', 'req-77');
    const res = await client.getTicket(get('t-1', 'echo-meta'), { metadata });
    expect(res.ticket?.id).toBe('req-77');
  });

  it('rejects with the DomainError the handler threw', async () => {
    const err = await client.getTicket(get('t-1', 'missing')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'Ticket not found' });
  });

  it('maps a ZodError to INVALID_ARGUMENT with the issues as details', async () => {
    const err = await client
      .listTickets(ticketV1.ListTicketsRequest.fromPartial({ tenantId: 'not-a-uuid' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('INVALID_ARGUMENT');
    expect((err as DomainError).message).toContain('tenantId');
    expect((err as DomainError).details).toEqual({
      issues: [{ path: 'tenantId', message: expect.any(String) }],
    });
  });

  it('hides unexpected errors as INTERNAL and logs them', async () => {
    const err = await client.getTicket(get('t-1', 'crash')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('INTERNAL');
    expect((err as DomainError).message).not.toContain('secret-row-data');
    expect(logLines.some((l) => l.includes('grpc handler failed') && l.includes('GetTicket'))).toBe(true);
  });

  it('maps a saturated database (no connection in time) to UNAVAILABLE, not INTERNAL', async () => {
    const err = await client.getTicket(get('t-1', 'db-busy')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNAVAILABLE', message: 'The database is busy; retry later' });
  });

  it('maps a database out of connections to UNAVAILABLE, not INTERNAL', async () => {
    for (const tenant of ['prisma', 'pg']) {
      const err = await client.getTicket(get(tenant, 'db-full')).catch((e: unknown) => e);
      expect((err as DomainError).code).toBe('UNAVAILABLE');
    }
  });

  it('applies the deadline: a slow handler rejects with UNAVAILABLE', async () => {
    const started = Date.now();
    const err = await client
      .createTicket(ticketV1.CreateTicketRequest.fromPartial({ tenantId: 't-1', title: 'x' }), {
        deadlineMs: 100,
      })
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(380);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('UNAVAILABLE');
  });

  it('uses the client default deadline', async () => {
    const fast = createGrpcClient(ticketV1.TicketServiceClient, `127.0.0.1:${server.port}`, {
      deadlineMs: 100,
    });
    try {
      const err = await fast
        .createTicket(ticketV1.CreateTicketRequest.fromPartial({ tenantId: 't-1', title: 'x' }))
        .catch((e: unknown) => e);
      expect((err as DomainError).code).toBe('UNAVAILABLE');
    } finally {
      fast.close();
    }
  });

  it('reports an unreachable server as UNAVAILABLE', async () => {
    const nowhere = createGrpcClient(ticketV1.TicketServiceClient, '127.0.0.1:1', { deadlineMs: 500 });
    try {
      const err = await nowhere.getTicket(get('t', 'x')).catch((e: unknown) => e);
      expect((err as DomainError).code).toBe('UNAVAILABLE');
    } finally {
      nowhere.close();
    }
  });
});

describe('a peer given as replicas (ip:port,ip:port)', () => {
  it('turns a replica list into an ipv4/ipv6 target and leaves host:port alone', () => {
    expect(grpcTarget('ticket:50052')).toBe('ticket:50052');
    expect(grpcTarget('127.0.0.1:1,127.0.0.1:2')).toBe('ipv4:127.0.0.1:1,127.0.0.1:2');
    expect(grpcTarget('[::1]:1,[::1]:2')).toBe('ipv6:[::1]:1,[::1]:2');
  });

  it('spreads the calls over every replica, and keeps answering when one of them stops', async () => {
    // each replica answers with its own name in the ticket's title
    const replica = (name: string) =>
      startGrpcServer({
        port: 0,
        host: '127.0.0.1',
        logger,
        services: [
          {
            definition: ticketV1.TicketServiceService,
            implementation: {
              getTicket: unary<ticketV1.GetTicketRequest, ticketV1.GetTicketResponse>(
                async (req) => ({ ticket: { ...ticket(req.tenantId, req.id), title: name } }),
                logger,
              ),
            },
          },
        ],
      });
    const [a, b] = await Promise.all([replica('a'), replica('b')]);
    const client = createGrpcClient(ticketV1.TicketServiceClient, `127.0.0.1:${a.port},127.0.0.1:${b.port}`, {
      deadlineMs: 2_000,
    });
    try {
      const answeredBy = async (calls: number) => {
        const seen = new Set<string>();
        for (let i = 0; i < calls; i++) seen.add((await client.getTicket(get('t', `x${i}`))).ticket!.title);
        return seen;
      };
      expect([...(await answeredBy(10))].sort()).toEqual(['a', 'b']);
      await b.shutdown();
      // the stopped replica's connection drops: calls go on to the one left
      const after = new Set<string>();
      for (let i = 0; i < 10; i++) {
        const reply = await client.getTicket(get('t', `y${i}`)).catch(() => undefined);
        if (reply) after.add(reply.ticket!.title);
      }
      expect([...after]).toEqual(['a']);
    } finally {
      client.close();
      await Promise.all([a.shutdown(), b.shutdown().catch(() => undefined)]);
    }
  });
});

// Streaming RPCs through the same server helpers, with AttachmentService as the contract.
describe('gRPC streams (real server on port 0)', () => {
  let server: RunningGrpcServer;
  let client: attachmentV1.AttachmentServiceClient;
  const received: Buffer[] = [];

  const streaming: Partial<attachmentV1.AttachmentServiceServer> & UntypedServiceImplementation = {
    uploadAttachment: clientStreaming<
      attachmentV1.UploadAttachmentRequest,
      attachmentV1.UploadAttachmentResponse
    >(async (requests) => {
      let filename = '';
      let size = 0;
      for await (const r of requests) {
        if (r.part?.$case === 'header') filename = r.part.value.filename;
        if (r.part?.$case === 'chunk') {
          size += r.part.value.length;
          received.push(r.part.value);
          if (size > 10) throw new DomainError('PAYLOAD_TOO_LARGE', 'at most 10 bytes');
        }
      }
      return {
        attachment: attachmentV1.UploadAttachmentResponse.fromPartial({ attachment: { filename, size } })
          .attachment,
      };
    }, logger),
    downloadAttachment: serverStreaming<
      attachmentV1.DownloadAttachmentRequest,
      attachmentV1.DownloadAttachmentResponse
    >(async (request, send) => {
      if (request.id === 'missing') throw notFound('attachment');
      for (const text of ['one', 'two', 'three'])
        await send({ part: { $case: 'chunk', value: Buffer.from(text) } });
      if (request.id === 'breaks') throw new Error('disk gone: secret-path');
    }, logger),
  };

  beforeAll(async () => {
    server = await startGrpcServer({
      port: 0,
      host: '127.0.0.1',
      logger,
      services: [{ definition: attachmentV1.AttachmentServiceService, implementation: streaming }],
    });
    client = new attachmentV1.AttachmentServiceClient(
      `127.0.0.1:${server.port}`,
      (await import('@grpc/grpc-js')).credentials.createInsecure(),
    );
  });

  afterAll(async () => {
    client.close();
    await server.shutdown();
  });

  async function* parts(
    filename: string,
    chunks: string[],
  ): AsyncIterable<attachmentV1.UploadAttachmentRequest> {
    yield { part: { $case: 'header', value: attachmentV1.UploadAttachmentHeader.fromPartial({ filename }) } };
    for (const c of chunks) yield { part: { $case: 'chunk', value: Buffer.from(c) } };
  }

  it('sends a client stream in order and resolves with the answer', async () => {
    received.length = 0;
    const res = await sendStream<attachmentV1.UploadAttachmentRequest, attachmentV1.UploadAttachmentResponse>(
      (cb) => client.uploadAttachment(cb),
      parts('a.txt', ['ab', 'cd', 'e']),
    );
    expect(res.attachment).toMatchObject({ filename: 'a.txt', size: 5 });
    expect(Buffer.concat(received).toString()).toBe('abcde');
  });

  it("rejects with the handler's DomainError", async () => {
    const err = await sendStream(
      (cb) => client.uploadAttachment(cb),
      parts('big', ['123456', '789012']),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it("rejects with the source's own error when the caller's stream fails", async () => {
    async function* broken(): AsyncIterable<attachmentV1.UploadAttachmentRequest> {
      yield* parts('x', ['a']);
      throw new Error('client went away');
    }
    await expect(sendStream((cb) => client.uploadAttachment(cb), broken())).rejects.toThrow(
      'client went away',
    );
  });

  it('reads a server stream to the end, and maps errors before and during it', async () => {
    const read = async (id: string) => {
      const chunks: string[] = [];
      for await (const r of receiveStream(
        client.downloadAttachment({ tenantId: 't', id, actor: undefined }),
      )) {
        if (r.part?.$case === 'chunk') chunks.push(r.part.value.toString());
      }
      return chunks;
    };
    expect(await read('ok')).toEqual(['one', 'two', 'three']);
    const missing = await read('missing').catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'NOT_FOUND' });
    const broken = await read('breaks').catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(DomainError);
    expect((broken as DomainError).code).toBe('INTERNAL');
    expect((broken as DomainError).message).not.toContain('secret-path');
  });
});
