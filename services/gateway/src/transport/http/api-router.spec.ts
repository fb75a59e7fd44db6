import type { AddressInfo } from 'node:net';
import express from 'express';
import { z } from 'zod';
import type { Authenticator } from '../../app/authenticate';
import type { IdempotencyStore } from '../../app/ports';
import { buildApiRouter } from './api-router';
import { errorHandler } from './error-handler';
import { buildOpenApiDocument } from './openapi';
import { defineRoute, MediaResponse, type AnyRoute } from './route';

// Public routes only: authentication and idempotency are never reached.
const unused = {} as Authenticator & IdempotencyStore;

const report = defineRoute({
  method: 'get',
  path: '/report',
  operationId: 'report',
  summary: 'A report as JSON or CSV',
  tag: 'test',
  access: 'public',
  query: z.object({ format: z.enum(['json', 'csv']).default('json') }),
  response: {
    status: 200,
    description: 'The report',
    schema: z.object({ total: z.number() }),
    media: ['text/csv'],
  },
  handle: async ({ query }) => {
    if (query.format === 'csv') return new MediaResponse('text/csv', 'total\r\n42\r\n', 'report.csv');
    return { total: 42 };
  },
});

const undeclared = defineRoute({
  method: 'get',
  path: '/undeclared',
  operationId: 'undeclared',
  // a route answering a type it did not declare is a bug, not a silent lie in the document
  summary: 'Answers a media type it never listed',
  tag: 'test',
  access: 'public',
  response: { status: 200, description: 'Nothing', schema: z.object({}) },
  handle: async () => new MediaResponse('text/plain' as never, 'hello') as unknown as Record<string, never>,
});

async function serve(routes: AnyRoute[]) {
  const app = express();
  app.use(
    buildApiRouter(routes, { authenticator: unused, operatorToken: undefined, idempotencyStore: unused }),
  );
  app.use(errorHandler());
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('routes answering another media type', () => {
  it('serves JSON by default and the declared media type as a download when the route returns it', async () => {
    const app = await serve([report]);
    try {
      const json = await fetch(`${app.url}/report`);
      expect(json.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await json.json()).toEqual({ total: 42 });

      const csv = await fetch(`${app.url}/report?format=csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="?report\.csv"?$/);
      expect(await csv.text()).toBe('total\r\n42\r\n');
    } finally {
      await app.close();
    }
  });

  it('refuses to answer a media type the route did not declare', async () => {
    const app = await serve([undeclared]);
    try {
      const res = await fetch(`${app.url}/undeclared`);
      expect(res.status).toBe(500);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INTERNAL');
    } finally {
      await app.close();
    }
  });

  it('describes the declared media types beside JSON in the OpenAPI document', () => {
    const doc = buildOpenApiDocument([report], { title: 't', version: '1' });
    const content = (doc.paths['/api/v1/report']?.get as { responses: Record<string, { content: object }> })
      .responses['200']!.content;
    expect(Object.keys(content)).toEqual(['application/json', 'text/csv']);
    expect(content).toMatchObject({ 'text/csv': { schema: { type: 'string' } } });
  });
});

describe('request bodies in the document', () => {
  it('marks a body optional when its schema has a default', () => {
    const route = (body: z.ZodType) =>
      defineRoute({
        method: 'post',
        path: '/thing',
        operationId: 'thing',
        summary: 'A thing',
        tag: 'test',
        access: 'public',
        body,
        response: { status: 200, description: 'Done', schema: z.object({}) },
        handle: async () => ({}),
      });
    const required = (body: z.ZodType) =>
      (
        buildOpenApiDocument([route(body)], { title: 't', version: '1' }).paths['/api/v1/thing']?.post as {
          requestBody: { required: boolean };
        }
      ).requestBody.required;
    expect(required(z.object({ a: z.string() }))).toBe(true);
    expect(required(z.object({ a: z.string().optional() }).default({}))).toBe(false);
  });
});

describe('hostile paths (found by the REST fuzz)', () => {
  it('answers a path parameter that is not valid percent-encoding with 400 in the error shape', async () => {
    const byId = defineRoute({
      method: 'get',
      path: '/things/:id',
      operationId: 'thing',
      summary: 'A thing',
      tag: 'test',
      access: 'public',
      params: z.object({ id: z.uuid() }),
      response: { status: 200, description: 'The thing', schema: z.object({}) },
      handle: async () => ({}),
    });
    const app = await serve([byId]);
    try {
      for (const bad of ['%E0%A4%A', '%', '%ED%A0%80']) {
        const res = await fetch(`${app.url}/things/${bad}`);
        expect([bad, res.status]).toEqual([bad, 400]);
        expect(await res.json()).toEqual({
          error: { code: 'INVALID_ARGUMENT', message: 'Request path is not valid percent-encoding' },
        });
      }
    } finally {
      await app.close();
    }
  });
});
