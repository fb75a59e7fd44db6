const KB = 1024;
const MB = 1024 * 1024;

/**
 * A size as people read it in a message: bytes below a kilobyte, then KB, then MB, with one decimal (1024-based, as
 * the limits are set), so that a small limit never reads as "0 MB".
 */
export function readableSize(bytes: number): string {
  if (bytes < KB) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < MB) return `${(bytes / KB).toFixed(1)} KB`;
  return `${(bytes / MB).toFixed(1)} MB`;
}
