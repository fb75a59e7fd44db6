import { loadLocalConfig } from './config';
import {
  SEED_CONFIG_SCHEMA,
  SERVICES,
  serviceEnv,
  serviceEnvIssues,
  sharedVariablesFor,
  startOrder,
} from './services';

const spec = (name: string, dependsOn: string[] = []) => ({ name, dependsOn });

describe('service ordering', () => {
  it('starts every service after its dependencies and otherwise keeps the list order', () => {
    const order = startOrder([
      spec('gateway', ['identity', 'ticket']),
      spec('ticket', ['identity']),
      spec('identity'),
      spec('sla'),
    ]);
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
    {
      PATH: '/usr/bin',
      HOME: '/home/x',
      SECRET_OF_THE_SHELL: 'no',
      PORT: '18080',
      TICKET_GRPC_PORT: '51052',
      BUS_PREFIX: 'run1',
    },
    { isTTY: false },
  );
  const ctx = {
    config,
    infra: {
      postgresUrl: 'postgresql://postgres@127.0.0.1:5432/postgres',
      natsUrl: 'nats://127.0.0.1:4222',
      redisUrl: 'redis://127.0.0.1:6379',
    },
    secrets: {
      jwtSecret: 'j'.repeat(40),
      operatorToken: 'o'.repeat(40),
      mailSecretKey: 'k'.repeat(44),
      messageIdSecret: 'm'.repeat(40),
    },
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
    const env = serviceEnv(timekeeping, {
      ...ctx,
      databaseUrl: 'postgresql://postgres@127.0.0.1:5432/helpdesk_timekeeping',
    });
    expect(env).toMatchObject({
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/helpdesk_timekeeping',
      GRPC_PORT: '50055',
      HEALTH_PORT: '9105',
    });
  });

  it("points every peer at a moved port, under the variable the peer's manifest names", () => {
    const moved = loadLocalConfig(
      { PATH: '/usr/bin', MAIL_GRPC_PORT: '51053', MAIL_HEALTH_PORT: '19103' },
      { isTTY: false },
    );
    const envOf = (name: string) =>
      serviceEnv(
        SERVICES.find((s) => s.name === name)!,
        { ...ctx, config: moved },
      );
    expect(envOf('mail-ingest')).toMatchObject({ GRPC_PORT: '51053', HEALTH_PORT: '19103' });
    expect(envOf('gateway').MAIL_GRPC_URL).toBe('127.0.0.1:51053');
    expect(envOf('notification').MAIL_GRPC_URL).toBe('127.0.0.1:51053');
    const mail = SERVICES.find((s) => s.name === 'mail-ingest')!;
    expect(mail.readyUrl(moved)).toBe('http://127.0.0.1:19103/readyz');
    expect(mail.ports(moved)).toEqual([
      { port: 51053, variable: 'MAIL_GRPC_PORT' },
      { port: 19103, variable: 'MAIL_HEALTH_PORT' },
    ]);
    // the secrets go to the services whose manifests name them
    expect(envOf('mail-ingest')).toMatchObject({
      MAIL_SECRET_KEY: 'k'.repeat(44),
      MAIL_MESSAGE_ID_SECRET: 'm'.repeat(40),
    });
    expect(envOf('ticket')).not.toHaveProperty('MAIL_SECRET_KEY');
  });

  it('gives a service with a database its own URL and ports', () => {
    const ticket = SERVICES.find((s) => s.name === 'ticket')!;
    const env = serviceEnv(ticket, {
      ...ctx,
      databaseUrl: 'postgresql://postgres@127.0.0.1:5432/helpdesk_ticket',
    });
    expect(env).toMatchObject({
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/helpdesk_ticket',
      GRPC_PORT: '51052',
      HEALTH_PORT: '9102',
    });
  });
});

describe("the services' documented variables", () => {
  const infra = {
    postgresUrl: 'postgresql://postgres@127.0.0.1:5432/postgres',
    natsUrl: 'nats://127.0.0.1:4222',
    redisUrl: 'redis://127.0.0.1:6379',
  };
  const secrets = {
    jwtSecret: 'j'.repeat(40),
    operatorToken: 'o'.repeat(40),
    mailSecretKey: Buffer.alloc(32, 7).toString('base64'),
    messageIdSecret: 'm'.repeat(40),
  };
  const envOf = (name: string, shell: Record<string, string>, databaseUrl?: string) => {
    const config = loadLocalConfig({ PATH: '/usr/bin', ...shell }, { isTTY: false });
    return serviceEnv(
      SERVICES.find((s) => s.name === name)!,
      { config, infra, secrets, databaseUrl },
    );
  };

  it('passes each service the variables its schema reads, and only those', () => {
    const shell = {
      LOGIN_RATE_LIMIT_MAX: '2',
      BODY_LIMIT: '64kb',
      CORS_ORIGINS: 'https://a.example',
      IMAP_RESYNC_SECONDS: '5',
      GRPC_DEADLINE_MS: '7000',
      SLA_TIMER_BATCH: '50',
    };
    const gateway = envOf('gateway', shell);
    expect(gateway).toMatchObject({
      LOGIN_RATE_LIMIT_MAX: '2',
      BODY_LIMIT: '64kb',
      CORS_ORIGINS: 'https://a.example',
      GRPC_DEADLINE_MS: '7000',
    });
    expect(gateway).not.toHaveProperty('IMAP_RESYNC_SECONDS');
    expect(gateway).not.toHaveProperty('SLA_TIMER_BATCH');
    const mail = envOf('mail-ingest', shell);
    expect(mail).toMatchObject({ IMAP_RESYNC_SECONDS: '5', GRPC_DEADLINE_MS: '7000' });
    expect(mail).not.toHaveProperty('BODY_LIMIT');
    expect(envOf('sla', shell)).toMatchObject({ SLA_TIMER_BATCH: '50' });
  });

  it("never lets a variable meant for something else replace the runner's wiring", () => {
    const shell = {
      DATABASE_URL: 'postgresql://elsewhere/db',
      TICKET_GRPC_URL: '10.0.0.1:1',
      GRPC_PORT: '1234',
      HEALTH_PORT: '1235',
      HOST: 'my-laptop',
    };
    const ticket = envOf('ticket', shell, 'postgresql://postgres@127.0.0.1:5432/helpdesk_ticket');
    expect(ticket).toMatchObject({
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/helpdesk_ticket',
      GRPC_PORT: '50052',
      HEALTH_PORT: '9102',
    });
    const gateway = envOf('gateway', shell);
    expect(gateway).toMatchObject({ TICKET_GRPC_URL: '127.0.0.1:50052', PORT: '8080' });
    expect(gateway).not.toHaveProperty('HOST');
    expect(gateway).not.toHaveProperty('DATABASE_URL');
  });

  it("passes the demo seed's documented variables too", () => {
    const config = loadLocalConfig(
      { HELPDESK_DEMO_TIMEZONE: 'Europe/Berlin', DATABASE_URL: 'postgresql://elsewhere/db' },
      { isTTY: false },
    );
    expect(sharedVariablesFor(SEED_CONFIG_SCHEMA, config.serviceVariables)).toMatchObject({
      HELPDESK_DEMO_TIMEZONE: 'Europe/Berlin',
    });
  });

  it("lets a set variable replace the runner's local defaults", () => {
    expect(envOf('ticket', {}).BLOB_DIR).toMatch(/\.local\/blobs$/);
    expect(envOf('ticket', { BLOB_DIR: '/srv/blobs' }).BLOB_DIR).toBe('/srv/blobs');
  });

  it('gives one service its own value with <SERVICE>__<VAR>, over the shared one and over the wiring', () => {
    const shell = {
      GRPC_DEADLINE_MS: '7000',
      MAIL_INGEST__GRPC_DEADLINE_MS: '20000',
      BODY_LIMIT: '1kb',
      GATEWAY__BODY_LIMIT: '2kb',
      GATEWAY__HOST: '127.0.0.1',
      TICKET__DATABASE_URL: 'postgresql://postgres@db.example:5432/tickets',
    };
    expect(envOf('mail-ingest', shell).GRPC_DEADLINE_MS).toBe('20000');
    expect(envOf('notification', shell).GRPC_DEADLINE_MS).toBe('7000');
    expect(envOf('gateway', shell)).toMatchObject({
      GRPC_DEADLINE_MS: '7000',
      BODY_LIMIT: '2kb',
      HOST: '127.0.0.1',
    });
    expect(envOf('gateway', shell)).not.toHaveProperty('GATEWAY__BODY_LIMIT');
    expect(envOf('ticket', shell, 'postgresql://postgres@127.0.0.1:5432/helpdesk_ticket').DATABASE_URL).toBe(
      'postgresql://postgres@db.example:5432/tickets',
    );
  });

  it('refuses a per-service variable the service does not read, and its ports (the runner moves those)', () => {
    expect(() => loadLocalConfig({ GATEWAY__BODY_LIMT: '2kb' }, { isTTY: false })).toThrow(
      'GATEWAY__BODY_LIMT: gateway reads no variable BODY_LIMT',
    );
    expect(() => loadLocalConfig({ TICKET__GRPC_PORT: '1' }, { isTTY: false })).toThrow(
      'TICKET__GRPC_PORT: the runner sets the ports of ticket; move them with TICKET_GRPC_PORT or TICKET_HEALTH_PORT',
    );
    expect(() => loadLocalConfig({ GATEWAY__PORT: '1' }, { isTTY: false })).toThrow('move them with PORT');
    // a double underscore of some other tool is not ours
    expect(() =>
      loadLocalConfig({ Logging__LogLevel: 'x', OTHER__THING: 'y' }, { isTTY: false }),
    ).not.toThrow();
  });

  it("reports a bad value with the service's own reason, before anything starts", () => {
    const gateway = SERVICES.find((s) => s.name === 'gateway')!;
    expect(serviceEnvIssues(gateway, envOf('gateway', { BODY_LIMIT: 'lots' }))).toEqual([
      'BODY_LIMIT: must be a size such as 1mb, 512kb or 1048576',
    ]);
    expect(serviceEnvIssues(gateway, envOf('gateway', { BODY_LIMIT: '64kb' }))).toEqual([]);
    for (const spec of SERVICES) {
      expect({
        service: spec.name,
        issues: serviceEnvIssues(spec, envOf(spec.name, {}, 'postgresql://postgres@127.0.0.1:5432/x')),
      }).toEqual({ service: spec.name, issues: [] });
    }
  });
});
