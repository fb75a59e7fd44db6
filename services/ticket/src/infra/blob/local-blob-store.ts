import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from '../../app/ports';

const KEY_RE = /^[A-Za-z0-9][A-Za-z0-9/_.-]{0,299}$/;

/**
 * Blobs as files under one directory (one machine). A blob is written to a temporary name and renamed into place
 * once complete, so a crash never leaves a half-written file under a key.
 */
export class LocalBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  async put(key: string, content: AsyncIterable<Buffer>): Promise<{ size: number; sha256: string }> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const partial = `${target}.${randomBytes(6).toString('hex')}.partial`;
    const hash = createHash('sha256');
    let size = 0;
    async function* counted() {
      for await (const chunk of content) {
        size += chunk.length;
        hash.update(chunk);
        yield chunk;
      }
    }
    try {
      await pipeline(counted, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
      await rename(partial, target);
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
    return { size, sha256: hash.digest('hex') };
  }

  async get(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    // open eagerly, so that a missing file fails here and not halfway through a response
    const stream = createReadStream(file);
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return stream;
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    if (!KEY_RE.test(key) || key.split('/').some((part) => part === '..' || part === '.')) {
      throw new Error('invalid blob key');
    }
    return path.join(this.root, key);
  }
}
