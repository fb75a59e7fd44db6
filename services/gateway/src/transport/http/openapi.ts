import { z } from 'zod';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '../../app/idempotency';
import { ANY_FILE, isIdempotentWrite, type AnyRoute } from './route';
import { errorResponseSchema } from './schemas/common.schema';

type JsonSchema = Record<string, unknown>;

export const API_PREFIX = '/api/v1';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (the refused fields in error.details.fields)',
  401: 'Missing, invalid or expired credentials',
  403: 'Not allowed for this principal',
  404: 'No such record in the caller’s tenant',
  409: 'Conflict, or a request with the same Idempotency-Key is still in progress',
  413: 'Request body over the size limit',
  415: 'Request body is not application/json',
  422: 'Idempotency-Key already used with a different body',
  429: 'Too many requests',
  500: 'Unexpected error',
  503: 'A backing service is unavailable',
};

/**
 * The OpenAPI 3.1 document, generated from the same route specs and zod schemas that serve and validate the
 * API. zod's JSON Schema (draft 2020-12) is OpenAPI 3.1's schema dialect, so it is used as is; schemas with an
 * `id` become components.
 */
export function buildOpenApiDocument(routes: readonly AnyRoute[], info: { title: string; version: string }) {
  const schemas: Record<string, JsonSchema> = {};

  const convert = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
    const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
    delete json.$schema;
    const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
    delete json.$defs;
    for (const [name, def] of Object.entries(defs)) {
      const rewritten = rewriteRefs(def) as JsonSchema;
      const existing = schemas[name];
      // Two different schemas under one name would make the document lie about one of them.
      if (existing && JSON.stringify(existing) !== JSON.stringify(rewritten)) {
        throw new Error(`OpenAPI: schema id "${name}" is used for two different shapes`);
      }
      schemas[name] = rewritten;
    }
    return rewriteRefs(json) as JsonSchema;
  };

  const errorRef = convert(errorResponseSchema, 'output');
  const responses: Record<string, unknown> = {};
  for (const [status, description] of Object.entries(ERROR_DESCRIPTIONS)) {
    const headers: Record<string, unknown> = {};
    if (status === '429')
      headers['Retry-After'] = { description: 'Seconds to wait', schema: { type: 'integer' } };
    if (status === '401') headers['WWW-Authenticate'] = { schema: { type: 'string' } };
    responses[`E${status}`] = {
      description,
      ...(Object.keys(headers).length ? { headers } : {}),
      content: { 'application/json': { schema: errorRef } },
    };
  }

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = `${API_PREFIX}${route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
    const parameters: unknown[] = [];
    if (route.params) parameters.push(...objectParameters(convert(route.params, 'input'), 'path'));
    if (route.query) parameters.push(...objectParameters(convert(route.query, 'input'), 'query'));
    if (route.headers) parameters.push(...objectParameters(convert(route.headers, 'input'), 'header'));
    const idempotent = isIdempotentWrite(route);
    if (idempotent) {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description:
          'Makes a retry safe: the first response is replayed for 24 hours (Idempotent-Replayed: true)',
        schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
      });
    }

    const errorStatuses = new Set<number>([500, 503, ...(route.errors ?? [])]);
    if (route.body || route.query || route.params || route.headers) errorStatuses.add(400);
    if (route.body || route.rawBody) [413, 415].forEach((s) => errorStatuses.add(s));
    if (route.access !== 'public') errorStatuses.add(401);
    if (route.access !== 'public' && route.access !== 'tenant') errorStatuses.add(403);
    if (idempotent) [409, 422].forEach((s) => errorStatuses.add(s));

    const success: Record<string, unknown> = {
      description: route.response.description,
      content: {
        // a download answers the file, never JSON
        ...(route.response.mediaOnly
          ? {}
          : { 'application/json': { schema: convert(route.response.schema, 'output') } }),
        ...Object.fromEntries(
          (route.response.media ?? []).map((type) => [
            type,
            { schema: type === ANY_FILE ? { type: 'string', format: 'binary' } : { type: 'string' } },
          ]),
        ),
      },
    };
    if (route.upload) [413, 415].forEach((s) => errorStatuses.add(s));
    if (idempotent) {
      success.headers = {
        'Idempotent-Replayed': {
          description: 'true when this is a stored response replayed',
          schema: { type: 'string' },
        },
      };
    }

    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      security: securityFor(route.access),
      ...(parameters.length ? { parameters } : {}),
      ...(route.rawBody
        ? {
            requestBody: {
              required: true,
              description: route.rawBody.description,
              content: Object.fromEntries(
                route.rawBody.contentTypes.map((type) => [
                  type,
                  { schema: { type: 'string', format: 'binary' } },
                ]),
              ),
            },
          }
        : {}),
      ...(route.body
        ? {
            requestBody: {
              // a body schema with a default (e.g. `{}`) makes the body optional
              required: !route.body.safeParse(undefined).success,
              content: { 'application/json': { schema: convert(route.body, 'input') } },
            },
          }
        : {}),
      ...(route.upload
        ? {
            requestBody: {
              required: true,
              content: {
                'multipart/form-data': {
                  schema: {
                    type: 'object',
                    required: [route.upload.field],
                    properties: { [route.upload.field]: { type: 'string', format: 'binary' } },
                  },
                },
              },
            },
          }
        : {}),
      responses: {
        [String(route.response.status)]: success,
        ...Object.fromEntries(
          [...errorStatuses]
            .sort((a, b) => a - b)
            .map((s) => [String(s), { $ref: `#/components/responses/E${s}` }]),
        ),
      },
    };
    (paths[path] ??= {})[route.method] = operation;
  }

  return {
    openapi: '3.1.0',
    info: {
      ...info,
      description:
        'Helpdesk REST API (docs/api.md). Errors answer {"error": {"code", "message", "details"?}}; details, when ' +
        'present, is {"fields": [{"path", "message"}]} naming the refused request fields.',
    },
    paths,
    components: {
      schemas,
      responses,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'An agent session token from POST /api/v1/auth/login, or an API key (hd_…)',
        },
        agentSession: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An agent session token from POST /api/v1/auth/login, of an agent or an admin; API keys answer 403',
        },
        operatorToken: { type: 'http', scheme: 'bearer', description: 'HELPDESK_OPERATOR_TOKEN' },
        portalSession: {
          type: 'http',
          scheme: 'bearer',
          description: 'A contact session token from POST /api/v1/portal/auth/login (customer portal only)',
        },
      },
    },
  };
}

function securityFor(access: AnyRoute['access']): Array<Record<string, string[]>> {
  if (access === 'public') return [];
  if (access === 'operator') return [{ operatorToken: [] }];
  if (access === 'contact') return [{ portalSession: [] }];
  if (access === 'user') return [{ agentSession: [] }];
  return [{ bearerAuth: [] }];
}

function objectParameters(json: JsonSchema, location: 'path' | 'query' | 'header'): unknown[] {
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      // headers are matched lower-case; the document shows their usual spelling (if-match → If-Match)
      name:
        location === 'header'
          ? name.replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase())
          : name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
      ...(location === 'query' && Array.isArray(rest.anyOf) ? { style: 'form', explode: true } : {}),
    };
  });
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string'
        ? v.replace(/^#\/\$defs\//, '#/components/schemas/')
        : rewriteRefs(v),
    ]),
  );
}
