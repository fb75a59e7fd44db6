import type { Platform } from './platform';

/** `value` quoted for a POSIX shell (single quotes, embedded ones escaped). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The "ready" message: where things are, how to sign in, the operator token (printed here only). */
export function formatSummary(platform: Platform, bold: (s: string) => string = (s) => s): string {
  const { urls, admin } = platform;
  const login = JSON.stringify({ email: admin.email, password: admin.password });
  const tenant = JSON.stringify({
    name: 'Example MSP',
    timezone: 'Europe/Berlin',
    admin: { email: 'admin@example.com', name: 'Example Admin', password: 'change-me-please-123' },
  });
  const lines = [
    '',
    bold('Helpdesk is ready.'),
    '',
    `  Agent console    ${urls.gateway}/`,
    `  Gateway          ${urls.gateway}`,
    `  API docs         ${urls.apiDocs}`,
    `  OpenAPI          ${urls.openApi}`,
    '',
    `  Demo tenant      ${platform.tenantId}`,
    `  Customer portal  ${urls.gateway}/portal/${platform.tenantSlug}`,
    `  Admin e-mail     ${admin.email}`,
    `  Admin password   ${admin.password}${admin.created ? '' : '   (as set when the demo tenant was first seeded)'}`,
    '',
    '  Sign in:',
    `    curl -s -X POST ${urls.gateway}/api/v1/auth/login -H 'Content-Type: application/json' -d ${shellQuote(login)}`,
    '',
    `  ${bold('Operator token')} (for POST /api/v1/tenants; kept in ${platform.secrets.source.operatorToken === 'env' ? 'HELPDESK_OPERATOR_TOKEN' : platform.secrets.file}):`,
    `    ${platform.secrets.operatorToken}`,
    `    curl -s -X POST ${urls.gateway}/api/v1/tenants -H "Authorization: Bearer ${platform.secrets.operatorToken}" -H 'Content-Type: application/json' -d ${shellQuote(tenant)}`,
    '',
    `  PostgreSQL ${urls.postgres}   NATS ${urls.nats}   Redis ${urls.redis}`,
    '',
    'Press Ctrl-C to stop everything.',
    '',
  ];
  return lines.join('\n');
}
