import { loadLocalConfig } from './config';
import { SERVICES, serviceEnv, startOrder } from './services';

const spec = (name: string, dependsOn: string[] = []) => ({ name, dependsOn });

describe('service ordering', () => {
  it('starts every service after its dependencies and otherwise keeps the list order', () => {
    const order = startOrder([spec('gateway', ['identity', 'ticket']), spec('ticket', ['identity']), spec('identity'), spec('sla')]);
    expect(order.map((s) => s.name)).toEqual(['identity', 'ticket', 'gateway', 'sla']);
  });

  it('rejects a cycle, naming it', () => {
    expect(() => startOrder([spec('a', ['b']), spec('b', ['c']), spec('c', ['a'])])).toThrow('a → b → c → a');
  });

  it('rejects an unknown dependency and duplicate names', () => {
    expect(() => startOrder([spec('gateway', ['nope'])])).toThrow('gateway depends on unknown service nope');
    expect(() => startOrder([spec('a'), spec('a')])).toThrow('share a name');
  });

  it('orders the real list with the gateway last', () => {
    const names = startOrder(SERVICES).map((s) => s.name);
    expect(names.indexOf('gateway')).toBe(names.length - 1);
    expect(names).toEqual(expect.arrayContaining(['identity', 'ticket', 'timekeeping', 'sla']));
  });
});

describe('service environment', () => {
  const config = loadLocalConfig(
    { PATH: '/usr/bin', HOME: '/home/x', SECRET_OF_THE_SHELL: 'no', PORT: '18080', TICKET_GRPC_PORT: '51052', BUS_PREFIX: 'run1' },
    { isTTY: false },
  );
  const ctx = {
    config,
    infra: { postgresUrl: 'postgresql://postgres@127.0.0.1:5432/postgres', natsUrl: 'nats://127.0.0.1:4222', redisUrl: 'redis://127.0.0.1:6379' },
    secrets: { jwtSecret: 'j'.repeat(40), operatorToken: 'o'.repeat(40), mailSecretKey: 'k'.repeat(44), messageIdSecret: 'm'.repeat(40) },
  };

  it('gives the gateway its peers, Redis, the common variables and nothing else from the shell', () => {
    const gateway = SERVICES.find((s) => s.name === 'gateway')!;
    const env = serviceEnv(gateway, ctx);
    expect(env).toMatchObject({
      PATH: '/usr/bin',
      HOME: '/home/x',
      PORT: '18080',
      IDENTITY_GRPC_URL: '127.0.0.1:50051',
      TICKET_GRPC_URL: '127.0.0.1:51052',
      TIMEKEEPING_GRPC_URL: '127.0.0.1:50055',
      SLA_GRPC_URL: '127.0.0.1:50054',
      REDIS_URL: 'redis://127.0.0.1:6379',
      NATS_URL: 'nats://127.0.0.1:4222',
      BUS_PREFIX: 'run1',
      LOG_LEVEL: 'info',
      HELPDESK_JWT_SECRET: 'j'.repeat(40),
      HELPDESK_OPERATOR_TOKEN: 'o'.repeat(40),
    });
    expect(env).not.toHaveProperty('SECRET_OF_THE_SHELL');
    expect(env).not.toHaveProperty('DATABASE_URL');
    expect(env).not.toHaveProperty('OTEL_EXPORTER_OTLP_ENDPOINT');
  });

  it('gives timekeeping its database and its ports', () => {
    const timekeeping = SERVICES.find((s) => s.name === 'timekeeping')!;
    expect(timekeeping.database).toBe('timekeeping');
    const env = serviceEnv(timekeeping, { ...ctx, databaseUrl: 'postgresql://postgres@127.0.0.1:5432/helpdesk_timekeeping' });
    expect(env).toMatchObject({
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/helpdesk_timekeeping',
      GRPC_PORT: '50055',
      HEALTH_PORT: '9105',
    });
  });

  it('gives a service with a database its own URL and ports', () => {
    const ticket = SERVICES.find((s) => s.name === 'ticket')!;
    const env = serviceEnv(ticket, { ...ctx, databaseUrl: 'postgresql://postgres@127.0.0.1:5432/helpdesk_ticket' });
    expect(env).toMatchObject({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/helpdesk_ticket', GRPC_PORT: '51052', HEALTH_PORT: '9102' });
  });
});
