import {
  credentials,
  type CallOptions,
  type ChannelCredentials,
  type Client,
  type ClientOptions,
  type ClientUnaryCall,
  type Metadata,
  type ServiceDefinition,
  type ServiceError,
  Metadata as GrpcMetadata,
} from '@grpc/grpc-js';
import { fromGrpcError } from './status-mapping';

export interface CallOpts {
  metadata?: Metadata;
  /** Overrides the client's default deadline for this call. */
  deadlineMs?: number;
}

type UnaryMethodNames<C> = {
  [K in Exclude<keyof C, keyof Client>]: C[K] extends (
    request: never,
    metadata: Metadata,
    options: Partial<CallOptions>,
    callback: (error: ServiceError | null, response: unknown) => void,
  ) => ClientUnaryCall
    ? K
    : never;
}[Exclude<keyof C, keyof Client>];

/** A ts-proto grpc-js client turned into promise-returning methods (unary RPCs only) plus `close()`. */
export type PromiseClient<C> = {
  [K in UnaryMethodNames<C>]: C[K] extends (
    request: infer Req,
    metadata: Metadata,
    options: Partial<CallOptions>,
    callback: (error: ServiceError | null, response: infer Res) => void,
  ) => ClientUnaryCall
    ? (request: Req, opts?: CallOpts) => Promise<Res>
    : never;
} & { close(): void };

/** What ts-proto emits as `XxxServiceClient`: a constructor with the service definition attached. */
export interface GrpcClientConstructor<C extends Client> {
  new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): C;
  service: ServiceDefinition;
}

export interface GrpcClientOptions {
  /** Default deadline of every call (ms). */
  deadlineMs?: number;
}

const CHANNEL_OPTIONS: Partial<ClientOptions> = {
  // Detect dead peers (pod replaced, connection silently dropped) without waiting for a request to time out.
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
  // A restarted peer is reachable again within seconds: grpc-js's default backoff grows to two minutes, and
  // every call made meanwhile fails at once with UNAVAILABLE.
  'grpc.initial_reconnect_backoff_ms': 500,
  'grpc.max_reconnect_backoff_ms': 5_000,
};

// A replica list gets its calls in turn: grpc-js's default, pick_first, would send everything to one of them. One
// address keeps pick_first, which reconnects when a call comes (round robin reconnects eagerly, and a call made
// during its backoff after a restart fails although the peer is back) (docs/adr/0047).
const REPLICA_CHANNEL_OPTIONS: Partial<ClientOptions> = {
  ...CHANNEL_OPTIONS,
  'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
};

/** The channel settings for `address`: round robin over a replica list. */
export function grpcChannelOptions(address: string): Partial<ClientOptions> {
  return address.includes(',') ? REPLICA_CHANNEL_OPTIONS : CHANNEL_OPTIONS;
}

/**
 * The grpc-js target of a configured peer: `host:port` as it is, and a replica list `ip:port,ip:port` as an
 * `ipv4:`/`ipv6:` target of those addresses (which the round-robin policy balances).
 */
export function grpcTarget(address: string): string {
  if (!address.includes(',')) return address;
  const ipv6 = address.startsWith('[');
  return `${ipv6 ? 'ipv6' : 'ipv4'}:${address}`;
}

/**
 * Creates a promise-based client: `await client.getTicket(req)`. Every call carries a deadline; a failed call
 * rejects with the DomainError rebuilt from the status and metadata.
 */
export function createGrpcClient<C extends Client>(
  Ctor: GrpcClientConstructor<C>,
  address: string,
  { deadlineMs = 5_000 }: GrpcClientOptions = {},
): PromiseClient<C> {
  // Plaintext: traffic stays inside the cluster network (mTLS, if any, is the service mesh's job).
  const client = new Ctor(grpcTarget(address), credentials.createInsecure(), grpcChannelOptions(address));
  const wrapped: Record<string, unknown> = {
    close: () => client.close(),
  };
  for (const [name, method] of Object.entries(Ctor.service)) {
    if (method.requestStream || method.responseStream) continue;
    const fn = (client as unknown as Record<string, (...args: unknown[]) => unknown>)[name];
    if (typeof fn !== 'function') continue;
    wrapped[name] = (request: unknown, opts: CallOpts = {}) =>
      new Promise((resolve, reject) => {
        const deadline = Date.now() + (opts.deadlineMs ?? deadlineMs);
        fn.call(
          client,
          request,
          opts.metadata ?? new GrpcMetadata(),
          { deadline },
          (err: ServiceError | null, response: unknown) =>
            err ? reject(fromGrpcError(err)) : resolve(response),
        );
      });
  }
  return wrapped as PromiseClient<C>;
}

/** The generated client itself, on the same channel settings, for the streaming calls `createGrpcClient` leaves out. */
export function createStreamingClient<C extends Client>(Ctor: GrpcClientConstructor<C>, address: string): C {
  return new Ctor(grpcTarget(address), credentials.createInsecure(), grpcChannelOptions(address));
}
