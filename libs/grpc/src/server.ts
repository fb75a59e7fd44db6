import { trace } from '@opentelemetry/api';
import {
  Server,
  ServerCredentials,
  status as GrpcStatus,
  type handleClientStreamingCall,
  type handleServerStreamingCall,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceDefinition,
  type ServiceError,
  type UntypedHandleCall,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { AdmissionLimiter, DomainError, type AdmissionLimits, type Logger } from '@helpdesk/platform';
import { HealthImplementation } from 'grpc-health-check';
import { callTimeLeftMs, runInCall } from './call-context';
import { rpcRecorder, statusOf } from './metrics';
import { errorMetadata } from './status-mapping';

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
  /** Bounds on the unary calls served at once and waiting (health checks are never limited). */
  limits?: Partial<AdmissionLimits>;
}

/** Defaults of {@link GrpcServerOptions.limits}: a few times a service's database pool of 10. */
export const DEFAULT_GRPC_LIMITS: Readonly<AdmissionLimits> = {
  maxInFlight: 64,
  maxQueued: 256,
  maxQueueMs: 1_000,
};

const AT_CAPACITY = new DomainError('UNAVAILABLE', 'The service is at capacity; retry later');

/** `tenant.id` on the call's server span (the instrumentation's) when the request names its tenant. */
function tagTenant(request: unknown): void {
  const tenantId = (request as { tenantId?: unknown } | null)?.tenantId;
  if (typeof tenantId === 'string' && tenantId) trace.getActiveSpan()?.setAttribute('tenant.id', tenantId);
}

/**
 * Every unary handler of `implementation` behind `limiter`: a call that finds no slot within its queue time (at
 * most half the time its caller still waits) is answered UNAVAILABLE at once, so that overload is a quick
 * refusal the caller can retry, not a queue that outlives every deadline. Handlers run in the call's context
 * (assertCallerWaiting). Each unary call, refused or answered, is recorded in `rpc.server.duration`.
 */
function admitted(
  definition: ServiceDefinition,
  implementation: UntypedServiceImplementation,
  limiter: AdmissionLimiter,
): UntypedServiceImplementation {
  const wrapped: UntypedServiceImplementation = { ...implementation };
  for (const [name, method] of Object.entries(definition)) {
    const handler = implementation[name];
    if (typeof handler !== 'function') continue;
    if (method.requestStream || method.responseStream) {
      wrapped[name] = timedStream(method, handler);
      continue;
    }
    const unaryHandler = handler as (
      call: ServerUnaryCall<unknown, unknown>,
      callback: sendUnaryData<unknown>,
    ) => void;
    const record = rpcRecorder(method.path);
    const limitedHandler = (
      call: ServerUnaryCall<unknown, unknown>,
      answer: sendUnaryData<unknown>,
    ): void => {
      const startedAt = process.hrtime.bigint();
      tagTenant(call.request);
      const callback: sendUnaryData<unknown> = (err, value, trailer, flags) => {
        record(statusOf(err), startedAt);
        answer(err, value, trailer, flags);
      };
      void limiter.acquire(callTimeLeftMs(call) / 2).then((release) => {
        if (!release) {
          const refusal = {
            code: GrpcStatus.UNAVAILABLE,
            details: AT_CAPACITY.message,
            metadata: errorMetadata(AT_CAPACITY),
          };
          callback(refusal as ServiceError);
          return;
        }
        let done = false;
        const finish = (): void => {
          if (done) return;
          done = true;
          release();
        };
        // a cancelled call's handler keeps running: its slot is freed when it answers, not before
        runInCall(call, () =>
          unaryHandler(call, (err, value, trailer, flags) => {
            finish();
            callback(err, value, trailer, flags);
          }),
        );
      });
    };
    wrapped[name] = limitedHandler as UntypedHandleCall;
  }
  return wrapped;
}

/**
 * A streaming handler timed in `rpc.server.duration` (not admitted: uploads and downloads are long and few). A
 * client stream ends with its callback; a server stream when its status is sent ('finish'), with the code of the
 * error it emitted if any, or CANCELLED when the client went away. Bidirectional streams are left as they are.
 */
function timedStream(method: ServiceDefinition[string], handler: UntypedHandleCall): UntypedHandleCall {
  if (method.requestStream && method.responseStream) return handler;
  const record = rpcRecorder(method.path);
  if (method.requestStream) {
    const clientStream = handler as handleClientStreamingCall<unknown, unknown>;
    const timed: handleClientStreamingCall<unknown, unknown> = (call, answer) => {
      const startedAt = process.hrtime.bigint();
      clientStream(call, (err, value, trailer, flags) => {
        record(statusOf(err), startedAt);
        answer(err, value, trailer, flags);
      });
    };
    return timed as UntypedHandleCall;
  }
  const serverStream = handler as handleServerStreamingCall<unknown, unknown>;
  const timed: handleServerStreamingCall<unknown, unknown> = (call) => {
    const startedAt = process.hrtime.bigint();
    let code: GrpcStatus = GrpcStatus.OK;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      record(code, startedAt);
    };
    call.once('error', (err: unknown) => (code = statusOf(err)));
    call.once('finish', finish);
    call.once('cancelled', () => {
      code = GrpcStatus.CANCELLED;
      finish();
    });
    serverStream(call);
  };
  return timed as UntypedHandleCall;
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
  const limiter = new AdmissionLimiter({ ...DEFAULT_GRPC_LIMITS, ...options.limits });
  const server = new Server({
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
    // Clients ping every 30 s even when idle; allow it instead of answering GOAWAY/too_many_pings.
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': 10_000,
  });
  for (const { definition, implementation } of services) {
    server.addService(definition, admitted(definition, implementation, limiter));
  }
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
