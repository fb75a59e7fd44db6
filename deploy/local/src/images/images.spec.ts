import { loadLocalConfig } from '../config';
import { SERVICES, serviceEnv } from '../services';
import { baseImageTag } from './base-image';
import { containerConfig, imageName } from './images';

describe('images', () => {
  const host = loadLocalConfig(
    { PATH: '/usr/bin:/bin', HOME: '/root', HELPDESK_DB_PREFIX: 'helpdesk' },
    { isTTY: false },
  );
  const ctx = (config: typeof host) => ({
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
  });

  it('gives containers ports, databases and streams of their own, and local state under the writable /tmp', async () => {
    const config = await containerConfig(host);
    const ports = Object.values(config.ports).flatMap((own) => Object.values(own));
    expect(ports).toHaveLength(Object.values(host.ports).flatMap((own) => Object.values(own)).length);
    expect(new Set(ports).size).toBe(ports.length);
    for (const [service, own] of Object.entries(config.ports)) {
      for (const [name, port] of Object.entries(own))
        expect(port).not.toBe(host.ports[service]![name as keyof typeof own]);
    }
    expect(config).toMatchObject({
      dbPrefix: 'helpdesk_images',
      busPrefix: 'images',
      redisKeyPrefix: 'images:',
      localDir: '/tmp',
    });
    const ticket = serviceEnv(
      SERVICES.find((s) => s.name === 'ticket')!,
      { ...ctx(config), databaseUrl: 'postgresql://x/helpdesk_images_ticket' },
    );
    expect(ticket.BLOB_DIR).toBe('/tmp/blobs');
    expect(ticket.GRPC_PORT).toBe(String(config.ports.ticket!.grpc));
    // the image's own PATH and HOME, never the host's
    expect(ticket.PATH).toBeUndefined();
    expect(ticket.HOME).toBeUndefined();
  });

  it('names the images and the base after what is inside', () => {
    expect(imageName('mail-ingest')).toBe('helpdesk-mail-ingest:local');
    expect(baseImageTag('20.20.2')).toMatch(/^helpdesk-base:r\d+-node20\.20\.2-bookworm$/);
    expect(baseImageTag('20.20.2', Buffer.from('a CA'))).toMatch(
      /^helpdesk-base:r\d+-node20\.20\.2-bookworm-ca[0-9a-f]{8}$/,
    );
  });
});
