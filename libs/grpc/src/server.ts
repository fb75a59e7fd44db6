import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from '@helpdesk/platform';
import { HealthImplementation } from 'grpc-health-check';

export interface GrpcServiceRegistration {
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

export interface GrpcServerOptions {
  port: number;
  host?: string;
  services: GrpcServiceRegistration[];
  logger: Logger;
  /** How long shutdown() waits for in-flight calls before cancelling them. */
  shutdownTimeoutMs?: number;
}

export interface RunningGrpcServer {
  port: number;
  server: Server;
  health: HealthImplementation;
  shutdown(): Promise<void>;
}

/** Starts a gRPC server with the given services plus grpc.health.v1.Health (SERVING). Port 0 picks a free port. */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const { port, host = '0.0.0.0', services, logger, shutdownTimeoutMs = 5_000 } = options;
  const server = new Server({
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
    // Clients ping every 30 s even when idle; allow it instead of answering GOAWAY/too_many_pings.
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': 10_000,
  });
  for (const { definition, implementation } of services) server.addService(definition, implementation);
  const health = new HealthImplementation({ '': 'SERVING' });
  health.addToServer(server);

  // Plaintext inside the cluster, like the clients.
  const boundPort = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (err, actual) =>
      err ? reject(err) : resolve(actual),
    );
  });
  logger.info({ port: boundPort }, 'grpc server listening');

  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      // Probes and load balancers see NOT_SERVING before connections start closing.
      health.setStatus('', 'NOT_SERVING');
      const timer = setTimeout(() => {
        logger.warn({ shutdownTimeoutMs }, 'grpc graceful shutdown timed out; forcing');
        server.forceShutdown();
        resolve();
      }, shutdownTimeoutMs);
      timer.unref();
      server.tryShutdown((err) => {
        clearTimeout(timer);
        if (err) {
          logger.warn({ err }, 'grpc tryShutdown failed; forcing');
          server.forceShutdown();
        }
        resolve();
      });
    });
    return stopping;
  };

  return { port: boundPort, server, health, shutdown };
}
