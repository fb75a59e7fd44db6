import type {
  ClientReadableStream,
  ClientWritableStream,
  handleClientStreamingCall,
  handleServerStreamingCall,
  Metadata,
  ServiceError,
} from '@grpc/grpc-js';
import type { Logger } from '@helpdesk/platform';
import { fromGrpcError } from './status-mapping';
import { handlerFailure } from './unary';

/**
 * Adapts an async handler of a client-streaming RPC (uploads): it reads the requests as an async iterable and
 * answers once; errors map like {@link unary}'s.
 */
export function clientStreaming<Req, Res>(
  handler: (requests: AsyncIterable<Req>, metadata: Metadata) => Promise<Res>,
  logger?: Logger,
): handleClientStreamingCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call as unknown as AsyncIterable<Req>, call.metadata))
      .then(
        (response) => callback(null, response),
        (err: unknown) => {
          // stop reading what the client still sends; the status below ends the call
          call.pause();
          callback(handlerFailure(err, call.getPath(), logger));
        },
      );
  };
}

/**
 * Adapts an async handler of a server-streaming RPC (downloads): `send` waits while the client is slow, so a
 * large file never piles up in memory; errors map like {@link unary}'s.
 */
export function serverStreaming<Req, Res>(
  handler: (request: Req, send: (response: Res) => Promise<void>, metadata: Metadata) => Promise<void>,
  logger?: Logger,
): handleServerStreamingCall<Req, Res> {
  return (call) => {
    const send = (response: Res): Promise<void> => {
      if (call.cancelled) return Promise.reject(new Error('call cancelled by the client'));
      if (call.write(response)) return Promise.resolve();
      return new Promise((resolve) => call.once('drain', () => resolve()));
    };
    Promise.resolve()
      .then(() => handler(call.request, send, call.metadata))
      .then(
        () => call.end(),
        (err: unknown) => {
          if (call.cancelled) return;
          call.emit('error', handlerFailure(err, call.getPath(), logger));
        },
      );
  };
}

/** Sends `requests` on a client-streaming call and resolves with its answer; failures reject with a DomainError. */
export function sendStream<Req, Res>(
  open: (callback: (err: ServiceError | null, response?: Res) => void) => ClientWritableStream<Req>,
  requests: AsyncIterable<Req>,
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    let settled = false;
    const call = open((err, response) => {
      settled = true;
      if (err) reject(fromGrpcError(err));
      else resolve(response as Res);
    });
    (async () => {
      for await (const request of requests) {
        if (settled) return;
        if (!call.write(request)) await new Promise((r) => call.once('drain', r));
      }
      call.end();
    })().catch((err: unknown) => {
      // the caller's source failed (e.g. the HTTP upload broke off): cancel, and report that error
      if (settled) return;
      settled = true;
      call.cancel();
      reject(err);
    });
  });
}

/** Reads a server-streaming call as an async iterable; a failed call throws its DomainError. */
export async function* receiveStream<Res>(call: ClientReadableStream<Res>): AsyncGenerator<Res> {
  try {
    for await (const response of call) yield response as Res;
  } catch (err) {
    const e = err as ServiceError;
    throw typeof e?.code === 'number' ? fromGrpcError(e) : err;
  } finally {
    call.cancel();
  }
}
