import {
  Metadata,
  type CallOptions,
  type ClientReadableStream,
  type ClientWritableStream,
  type ServiceError,
} from '@grpc/grpc-js';
import { fromGrpcError } from './status-mapping';

/** Bytes per chunk message of a streamed upload or download: far below gRPC's 4 MB message limit. */
export const STREAM_CHUNK_BYTES = 256 * 1024;

type ClientStreamMethod<Req, Res> = (
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientWritableStream<Req>;

/**
 * Calls a client-streaming RPC: writes `messages` in order (respecting back-pressure), then resolves with the
 * answer. A failed call rejects with the DomainError rebuilt from the status, as the unary client does.
 */
export function callClientStream<Req, Res>(
  method: ClientStreamMethod<Req, Res>,
  messages: Iterable<Req>,
  { deadlineMs = 30_000, metadata = new Metadata() }: { deadlineMs?: number; metadata?: Metadata } = {},
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    const call = method(metadata, { deadline: Date.now() + deadlineMs }, (err, response) =>
      err ? reject(fromGrpcError(err)) : resolve(response),
    );
    const iterator = messages[Symbol.iterator]();
    const pump = (): void => {
      for (;;) {
        const next = iterator.next();
        if (next.done) {
          call.end();
          return;
        }
        if (!call.write(next.value)) {
          call.once('drain', pump);
          return;
        }
      }
    };
    call.on('error', () => undefined); // the callback reports it
    pump();
  });
}

/** Reads a server-streaming RPC as an async iterable; a failed call throws the rebuilt DomainError. */
export async function* readServerStream<Res>(call: ClientReadableStream<Res>): AsyncGenerator<Res> {
  try {
    for await (const message of call) yield message as Res;
  } catch (err) {
    if (err && typeof err === 'object' && 'code' in err) throw fromGrpcError(err as ServiceError);
    throw err;
  } finally {
    call.cancel();
  }
}

/** Splits a buffer into stream-sized chunks (at least one, possibly empty). */
export function* chunksOf(data: Buffer, size = STREAM_CHUNK_BYTES): Generator<Buffer> {
  if (data.length === 0) yield data;
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}
