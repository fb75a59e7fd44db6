import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Runs `prisma generate` for a service. The CLI insists on a schema-engine binary it would download;
 * generation does not use it, so any existing file satisfies the check (see docs/architecture.md).
 */
export function generateClient(serviceDir: string): Promise<void> {
  const prismaBin = require.resolve('prisma/build/index.js');
  const schema = path.join(path.resolve(serviceDir), 'prisma', 'schema.prisma');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaBin, 'generate', '--schema', schema], {
      stdio: 'inherit',
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        CHECKPOINT_DISABLE: '1',
      },
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`prisma generate exited with ${code}`)),
    );
  });
}
