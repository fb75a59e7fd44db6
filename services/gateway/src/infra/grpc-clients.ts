import { directoryV1, identityV1, slaV1, ticketV1 } from '@helpdesk/contracts';
import { createGrpcClient } from '@helpdesk/grpc';
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

export function createSlaClient(address: string, deadlineMs: number) {
  return createGrpcClient(slaV1.SlaServiceClient, address, { deadlineMs });
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
