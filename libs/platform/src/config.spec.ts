import { z } from 'zod';
import { ConfigError, busEnv, commonEnv, grpcAddress, loadConfig, port, urlString } from './config';

const schema = z.object({
  ...commonEnv,
  DATABASE_URL: urlString(),
  GRPC_PORT: port(50052),
  HELPDESK_JWT_SECRET: z.string().min(32),
});

describe('loadConfig', () => {
  it('parses a valid environment into a frozen typed object', () => {
    const config = loadConfig(schema, {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/ticket',
      GRPC_PORT: '6000',
      HELPDESK_JWT_SECRET: 'x'.repeat(32),
      LOG_LEVEL: 'debug',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      SHUTDOWN_TIMEOUT_MS: '2500',
    });
    expect(config.GRPC_PORT).toBe(6000);
    expect(config.LOG_LEVEL).toBe('debug');
    expect(config.SHUTDOWN_TIMEOUT_MS).toBe(2500);
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://collector:4318');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('applies defaults', () => {
    const config = loadConfig(schema, {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/ticket',
      HELPDESK_JWT_SECRET: 'y'.repeat(40),
    });
    expect(config).toMatchObject({
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
      SHUTDOWN_TIMEOUT_MS: 10_000,
      GRPC_PORT: 50052,
    });
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  });

  it('lists every invalid variable by name and reason, never its value', () => {
    const secretValue = 'too-short-secret-value';
    let error: unknown;
    try {
      loadConfig(schema, {
        DATABASE_URL: 'not a url at all',
        GRPC_PORT: 'abc',
        HELPDESK_JWT_SECRET: secretValue,
        LOG_LEVEL: 'chatty',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/^Invalid configuration: /);
    for (const name of ['DATABASE_URL', 'GRPC_PORT', 'HELPDESK_JWT_SECRET', 'LOG_LEVEL'])
      expect(message).toContain(`${name}: `);
    expect(message).toMatch(/GRPC_PORT: [^;]*number/);
    for (const value of [secretValue, 'not a url at all', 'abc', 'chatty'])
      expect(message).not.toContain(value);
    expect((error as ConfigError).issues.map((i) => i.path).sort()).toEqual(
      ['DATABASE_URL', 'GRPC_PORT', 'HELPDESK_JWT_SECRET', 'LOG_LEVEL'].sort(),
    );
  });

  it('reports a missing required variable', () => {
    expect(() => loadConfig(schema, { HELPDESK_JWT_SECRET: 'z'.repeat(32) })).toThrow(/DATABASE_URL: /);
  });

  it('rejects ports out of range', () => {
    expect(() => loadConfig(z.object({ P: port(1) }), { P: '70000' })).toThrow(ConfigError);
    expect(loadConfig(z.object({ P: port(1) }), { P: '0' }).P).toBe(0);
  });
});

describe('busEnv', () => {
  const bus = z.object({ ...busEnv });

  it('defaults to the local NATS, no prefix and a running relay', () => {
    expect(loadConfig(bus, {})).toEqual({
      NATS_URL: 'nats://127.0.0.1:4222',
      BUS_PREFIX: undefined,
      OUTBOX_RELAY_ENABLED: true,
      OUTBOX_POLL_INTERVAL_MS: 200,
    });
    expect(loadConfig(bus, { BUS_PREFIX: '', OUTBOX_RELAY_ENABLED: 'false' })).toMatchObject({
      BUS_PREFIX: undefined,
      OUTBOX_RELAY_ENABLED: false,
    });
  });

  it('refuses a prefix that is no subject token', () => {
    expect(() => loadConfig(bus, { BUS_PREFIX: 'a.b' })).toThrow(/BUS_PREFIX/);
  });
});

describe('grpcAddress', () => {
  const peer = grpcAddress('127.0.0.1:50052');
  it('takes host:port, or replicas as ip:port,ip:port', () => {
    expect(peer.parse(undefined)).toBe('127.0.0.1:50052');
    expect(peer.parse('ticket.helpdesk.svc:50052')).toBe('ticket.helpdesk.svc:50052');
    expect(peer.parse('127.0.0.1:46001,127.0.0.1:46002')).toBe('127.0.0.1:46001,127.0.0.1:46002');
    expect(peer.parse('[::1]:46001,[::1]:46002')).toBe('[::1]:46001,[::1]:46002');
  });
  it('refuses a URL, a missing port, and names in a replica list', () => {
    for (const bad of ['http://ticket:50052', 'ticket', 'ticket-0:1,ticket-1:1', '127.0.0.1:1,'])
      expect(peer.safeParse(bad).success).toBe(false);
  });
});
