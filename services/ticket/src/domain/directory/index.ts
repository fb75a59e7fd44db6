export * from './directory-rules';
export * from './entities';
export { decodeNameCursor, encodeNameCursor } from './name-cursor';
