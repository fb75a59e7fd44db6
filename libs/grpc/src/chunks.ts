/** Bytes per chunk message of a streamed upload or download: far below gRPC's 4 MB message limit. */
export const STREAM_CHUNK_BYTES = 256 * 1024;

/** Splits a buffer into stream-sized chunks (at least one, possibly empty). */
export function* chunksOf(data: Buffer, size = STREAM_CHUNK_BYTES): Generator<Buffer> {
  if (data.length === 0) yield data;
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}
