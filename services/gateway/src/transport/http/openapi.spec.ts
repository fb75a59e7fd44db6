/* eslint-disable @typescript-eslint/no-explicit-any -- assertions walk an untyped JSON document */
import type { RouteDeps } from './routes';
import { apiRoutes } from './routes';
import { buildOpenApiDocument } from './openapi';

// The document only reads the route specs; handlers are never called here.
const routes = apiRoutes({} as RouteDeps);
const doc = buildOpenApiDocument(routes, { title: 'Helpdesk API', version: '1.0.0' });

function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, found));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') found.push(v);
      else refs(v, found);
    }
  }
  return found;
}

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with every route', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const route of routes) {
      const path = `/api/v1${route.path.replace(/:(\w+)/g, '{$1}')}`;
      expect(doc.paths[path]?.[route.method]).toBeDefined();
    }
    expect(Object.values(doc.paths).flatMap((p) => Object.keys(p))).toHaveLength(routes.length);
  });

  it('describes uploads as multipart and downloads as binary, and portal routes with the portal session', () => {
    const upload = doc.paths['/api/v1/tickets/{id}/attachments']?.post as Record<string, any>;
    expect(upload.requestBody.content['multipart/form-data'].schema.properties.file).toEqual({
      type: 'string',
      format: 'binary',
    });
    expect(Object.keys(upload.responses)).toEqual(expect.arrayContaining(['201', '413', '415']));
    const download = doc.paths['/api/v1/attachments/{id}']?.get as Record<string, any>;
    expect(download.responses['200'].content['application/octet-stream'].schema).toEqual({
      type: 'string',
      format: 'binary',
    });
    const portal = doc.paths['/api/v1/portal/tickets']?.get as Record<string, any>;
    expect(portal.security).toEqual([{ portalSession: [] }]);
    expect(Object.keys(portal.responses)).toContain('403');
  });

  it('resolves every $ref inside the document', () => {
    for (const ref of refs(doc)) {
      const target = ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], doc);
      expect({ ref, found: target !== undefined }).toEqual({ ref, found: true });
    }
  });

  it('describes bodies, parameters, security and errors from the zod schemas', () => {
    const create = doc.paths['/api/v1/tickets']?.post as Record<string, any>;
    const body = create.requestBody.content['application/json'].schema;
    const bodySchema = doc.components.schemas[body.$ref.split('/').pop()] as Record<string, any>;
    expect(bodySchema.additionalProperties).toBe(false);
    // nothing is required: a template may give the title, contactId may stand for the requester
    expect(bodySchema.required).toBeUndefined();
    expect(Object.keys(bodySchema.properties)).toEqual(
      expect.arrayContaining(['title', 'templateId', 'contactId', 'assigneeId']),
    );
    expect(create.security).toEqual([{ bearerAuth: [] }]);
    expect(create.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
    expect(Object.keys(create.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '413', '422']),
    );

    const list = doc.paths['/api/v1/tickets']?.get as Record<string, any>;
    const limit = list.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit).toMatchObject({
      in: 'query',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    });

    expect((doc.paths['/api/v1/tenants']?.post as Record<string, any>).security).toEqual([
      { operatorToken: [] },
    ]);
    expect((doc.paths['/api/v1/auth/login']?.post as Record<string, any>).security).toEqual([]);
    // the people list: any signed-in agent reads it, API keys do not; writes stay with the admins (ADR 50)
    for (const path of ['/api/v1/users', '/api/v1/teams']) {
      const read = doc.paths[path]?.get as Record<string, any>;
      expect(read.security).toEqual([{ agentSession: [] }]);
      expect(Object.keys(read.responses)).toContain('403');
      expect((doc.paths[path]?.post as Record<string, any>).summary).toMatch(/\(admin\)$/);
    }
    expect(doc.components.securitySchemes.agentSession).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.Error).toBeDefined();
  });

  it('documents the one error details shape, {fields: [{path, message}]}, not an unknown', () => {
    const schemas = doc.components.schemas as Record<string, any>;
    expect(schemas.Error.properties.error.properties.details.$ref).toBe('#/components/schemas/ErrorDetails');
    expect(schemas.Error.properties.error.required).toEqual(['code', 'message']);
    expect(schemas.ErrorDetails).toMatchObject({
      required: ['fields'],
      properties: { fields: { type: 'array', items: { $ref: '#/components/schemas/FieldError' } } },
    });
    expect(schemas.FieldError).toMatchObject({
      required: ['path', 'message'],
      properties: { path: { type: 'array', items: { type: 'string' } }, message: { type: 'string' } },
    });
    const invalid = (doc.components.responses as Record<string, any>).E400;
    expect(invalid.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
  });
});
