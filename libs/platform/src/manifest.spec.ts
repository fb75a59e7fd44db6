import { z } from 'zod';
import { manifestEnv, manifestProblems, readinessUrl, type ServiceManifest } from './manifest';

const schema = z.object({
  GRPC_PORT: z.string(),
  HEALTH_PORT: z.string(),
  PORT: z.string(),
  DATABASE_URL: z.string(),
  A_GRPC_URL: z.string(),
  B_GRPC_URL: z.string(),
  SECRET: z.string(),
  REDIS_URL: z.string(),
  REDIS_KEY_PREFIX: z.string(),
  DATA_DIR: z.string(),
});
const manifest = (over: Partial<ServiceManifest> & { name: string }): ServiceManifest => ({
  entry: 'src/main.ts',
  ports: {
    grpc: { env: 'GRPC_PORT', default: 1, localVariable: `${over.name.toUpperCase()}_GRPC_PORT` },
    health: { env: 'HEALTH_PORT', default: 2, localVariable: `${over.name.toUpperCase()}_HEALTH_PORT` },
  },
  readiness: { port: 'health', path: '/readyz' },
  dependsOn: [],
  streams: { owns: [], consumes: [] },
  peers: {},
  secrets: {},
  configSchema: schema,
  ...over,
});

describe('manifestEnv', () => {
  const web = manifest({
    name: 'web',
    ports: { http: { env: 'PORT', default: 8080, localVariable: 'PORT' } },
    readiness: { port: 'http', path: '/readyz' },
    peers: { A_GRPC_URL: 'a', B_GRPC_URL: 'b' },
    secrets: { SECRET: 'jwtSecret' },
    redis: { url: 'REDIS_URL', keyPrefix: 'REDIS_KEY_PREFIX' },
    dataDirs: { DATA_DIR: 'data' },
    database: 'web',
  });

  it('wires its ports, database, the peers that run, its secrets, Redis and directories', () => {
    const env = manifestEnv(web, {
      ports: { web: { http: 18080 }, a: { grpc: 5001, health: 5002 } },
      databaseUrl: 'postgresql://x/web',
      secrets: { jwtSecret: 's'.repeat(32), operatorToken: 'not read' },
      redis: { url: 'redis://r:6379', keyPrefix: 'run:' },
      dataDirs: { DATA_DIR: '/tmp/d' },
    });
    expect(env).toEqual({
      PORT: '18080',
      DATABASE_URL: 'postgresql://x/web',
      // b is not running: its variable is left to the service's default
      A_GRPC_URL: '127.0.0.1:5001',
      SECRET: 's'.repeat(32),
      REDIS_URL: 'redis://r:6379',
      REDIS_KEY_PREFIX: 'run:',
      DATA_DIR: '/tmp/d',
    });
  });

  it('wires a peer that runs as several processes as the list of its replicas', () => {
    const env = manifestEnv(web, {
      ports: { web: { http: 18080 }, a: { grpc: 5001 }, b: { grpc: 6001 } },
      secrets: {},
      replicas: { a: [{ grpc: 5001 }, { grpc: 5101 }, { grpc: 5201 }], b: [{ grpc: 6001 }] },
    });
    expect(env.A_GRPC_URL).toBe('127.0.0.1:5001,127.0.0.1:5101,127.0.0.1:5201');
    expect(env.B_GRPC_URL).toBe('127.0.0.1:6001');
  });

  it('leaves out what the launcher does not give, and refuses a port without a number', () => {
    expect(
      manifestEnv(web, { ports: { web: { http: 1 } }, secrets: {}, redis: { keyPrefix: 'p:' } }),
    ).toEqual({ PORT: '1', REDIS_KEY_PREFIX: 'p:' });
    expect(() => manifestEnv(web, { ports: {}, secrets: {} })).toThrow('web: no number for its http port');
    expect(readinessUrl(web, { http: 18080 })).toBe('http://127.0.0.1:18080/readyz');
    expect(() => readinessUrl(web, {})).toThrow('no number for its http port');
  });
});

describe('manifestProblems', () => {
  it('accepts a consistent list', () => {
    const a = manifest({ name: 'a', database: 'a', streams: { owns: ['a'], consumes: [] } });
    const b = manifest({
      name: 'b',
      peers: { A_GRPC_URL: 'a' },
      streams: { owns: [], consumes: ['a'] },
      dependsOn: ['a'],
    });
    expect(manifestProblems([a, b])).toEqual([]);
  });

  it('names every inconsistency', () => {
    const a = manifest({ name: 'a', database: 'shared', streams: { owns: ['x'], consumes: ['nobody'] } });
    const b = manifest({
      name: 'b',
      ports: { grpc: { env: 'NOT_READ', default: 1, localVariable: 'A_GRPC_PORT' } },
      database: 'shared',
      streams: { owns: ['x'], consumes: [] },
      peers: { A_GRPC_URL: 'c', UNREAD_URL: 'a' },
      dependsOn: ['d'],
    });
    expect(manifestProblems([a, b, manifest({ name: 'a' })]).sort()).toEqual(
      [
        'two services are named a',
        'b: readiness on its health port, which it has not',
        'b and a share the local variable A_GRPC_PORT',
        'a and b share the local variable A_GRPC_PORT',
        'a and a share the local variable A_HEALTH_PORT',
        'b: its schema reads no NOT_READ',
        'b and a share the database shared',
        'b and a both own the stream x',
        'b: its schema reads no UNREAD_URL',
        'b depends on unknown service d',
        'b: A_GRPC_URL names unknown service c',
        'a consumes the stream nobody, which no service owns',
      ].sort(),
    );
  });
});
