import { ConfigError } from '@helpdesk/platform';
import { loadGatewayConfig } from './config';

const SECRET = 's'.repeat(32);

describe('gateway config', () => {
  it('applies the documented defaults', () => {
    const config = loadGatewayConfig({ HELPDESK_JWT_SECRET: SECRET });
    expect(config).toMatchObject({
      PORT: 8080,
      HOST: '0.0.0.0',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: '',
      IDENTITY_GRPC_URL: '127.0.0.1:50051',
      TICKET_GRPC_URL: '127.0.0.1:50052',
      TIMEKEEPING_GRPC_URL: '127.0.0.1:50055',
      GRPC_DEADLINE_MS: 5000,
      BODY_LIMIT: '1mb',
      CORS_ORIGINS: [],
      TRUST_PROXY: false,
      LOGIN_RATE_LIMIT_MAX: 10,
      LOGIN_RATE_LIMIT_WINDOW_SECONDS: 900,
    });
    expect(config.HELPDESK_OPERATOR_TOKEN).toBeUndefined();
  });

  it('parses lists, proxy trust and an empty operator token', () => {
    const config = loadGatewayConfig({
      HELPDESK_JWT_SECRET: SECRET,
      CORS_ORIGINS: 'https://a.example, https://b.example,',
      TRUST_PROXY: '2',
      HELPDESK_OPERATOR_TOKEN: '',
    });
    expect(config.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
    expect(config.TRUST_PROXY).toBe(2);
    expect(config.HELPDESK_OPERATOR_TOKEN).toBeUndefined();
    expect(loadGatewayConfig({ HELPDESK_JWT_SECRET: SECRET, TRUST_PROXY: 'loopback' }).TRUST_PROXY).toBe(
      'loopback',
    );
  });

  it('names every invalid variable without echoing secrets', () => {
    let error: unknown;
    try {
      loadGatewayConfig({
        HELPDESK_JWT_SECRET: 'short-secret',
        HELPDESK_OPERATOR_TOKEN: 'tiny-op',
        BODY_LIMIT: 'lots',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/HELPDESK_JWT_SECRET/);
    expect(message).toMatch(/HELPDESK_OPERATOR_TOKEN/);
    expect(message).toMatch(/BODY_LIMIT/);
    expect(message).not.toContain('short-secret');
    expect(message).not.toContain('tiny-op');
  });
});
