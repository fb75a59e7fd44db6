import { directoryV1, identityV1, mailV1, ticketV1 } from '@helpdesk/contracts';
import { callClientStream, chunksOf, createGrpcClient, readServerStream } from '@helpdesk/grpc';
import type { MailPort } from '../app/ports';
import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

export function createIdentityClient(address: string, deadlineMs: number) {
  return createGrpcClient(identityV1.IdentityServiceClient, address, { deadlineMs });
}

export function createTicketClient(address: string, deadlineMs: number) {
  return createGrpcClient(ticketV1.TicketServiceClient, address, { deadlineMs });
}

/** The ticket service's DirectoryService (same address as TicketService). */
export function createDirectoryClient(address: string, deadlineMs: number) {
  return createGrpcClient(directoryV1.DirectoryServiceClient, address, { deadlineMs });
}

/** mail-ingest: the unary RPCs, plus the raw push (client stream) and the raw download (server stream). */
export function createMailClient(address: string, deadlineMs: number): MailPort & { close(): void } {
  const unary = createGrpcClient(mailV1.MailIngestServiceClient, address, { deadlineMs });
  const streams = new mailV1.MailIngestServiceClient(address, grpc.credentials.createInsecure());
  return {
    ...unary,
    pushRawMail: (header, raw) =>
      callClientStream<mailV1.PushRawMailRequest, mailV1.PushRawMailResponse>(
        (metadata, options, callback) => streams.pushRawMail(metadata, options, callback),
        (function* () {
          yield { part: { $case: 'header' as const, value: header } };
          for (const chunk of chunksOf(raw)) yield { part: { $case: 'chunk' as const, value: chunk } };
        })(),
        // a large mail is stored and parsed before the answer
        { deadlineMs: Math.max(deadlineMs, 60_000) },
      ),
    streamRawMail: (request) => readServerStream(streams.streamRawMail(request, { deadline: Date.now() + 5 * 60_000 })),
    close: () => {
      unary.close();
      streams.close();
    },
  };
}

const HealthClient = grpc.makeClientConstructor(
  healthService as grpc.ServiceDefinition,
  'grpc.health.v1.Health',
);

interface HealthCheckClient {
  check(deadlineMs: number): Promise<void>;
  close(): void;
}

/** grpc.health.v1 Check against a peer (server-wide status, service ""); rejects unless SERVING. */
export function createHealthClient(address: string): HealthCheckClient {
  const client = new HealthClient(address, grpc.credentials.createInsecure()) as unknown as grpc.Client & {
    Check: (
      request: { service: string },
      options: Partial<grpc.CallOptions>,
      callback: (err: grpc.ServiceError | null, response?: { status?: string }) => void,
    ) => void;
  };
  return {
    check: (deadlineMs) =>
      new Promise<void>((resolve, reject) => {
        client.Check({ service: '' }, { deadline: Date.now() + deadlineMs }, (err, response) => {
          // /readyz is reachable from outside: say what is wrong without addresses or error text.
          if (err) return reject(new Error(`unreachable (${grpc.status[err.code] ?? err.code})`));
          if (response?.status !== 'SERVING')
            return reject(new Error(`not serving (${response?.status ?? 'UNKNOWN'})`));
          resolve();
        });
      }),
    close: () => client.close(),
  };
}
