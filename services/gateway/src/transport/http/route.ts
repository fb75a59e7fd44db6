import type { Logger } from '@helpdesk/platform';
import type { z } from 'zod';
import type { OperatorPrincipal, TenantPrincipal } from '../../app/principal';

/**
 * Who may call a route: anyone; any principal of a tenant (agent JWT or API key); a tenant admin (JWT with
 * role admin); or the platform operator (HELPDESK_OPERATOR_TOKEN).
 */
export type Access = 'public' | 'tenant' | 'admin' | 'operator';

export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

type PrincipalFor<A extends Access> = A extends 'tenant' | 'admin'
  ? TenantPrincipal
  : A extends 'operator'
    ? OperatorPrincipal
    : undefined;

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<A extends Access, B, Q, P, H = undefined> {
  principal: PrincipalFor<A>;
  body: Parsed<B>;
  query: Parsed<Q>;
  params: Parsed<P>;
  /** Request headers the route declares (lower-case names), parsed by its `headers` schema. */
  headers: Parsed<H>;
  /** Client address (honours TRUST_PROXY). */
  ip: string;
  log: Logger;
  /** The request body as bytes, for a route with `rawBody`. */
  rawBody: Buffer | undefined;
}

/** A non-JSON answer streamed as it is read (e.g. a raw e-mail source). */
export interface StreamedResponse {
  contentType: string;
  /** Sent as `Content-Disposition: attachment; filename=…` when given. */
  filename?: string;
  /** Bytes in order; the first chunk is awaited before any header is sent, so a 404 can still be answered. */
  chunks: AsyncIterable<Buffer>;
}

/**
 * One REST route, used both to serve it and to describe it in the OpenAPI document, so the two cannot drift:
 * the same zod schemas validate the request and generate the document.
 */
export interface RouteSpec<
  A extends Access,
  B extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  P extends z.ZodType | undefined,
  R extends z.ZodType,
  H extends z.ZodType | undefined = undefined,
> {
  method: HttpMethod;
  /** Express path relative to /api/v1, e.g. `/tickets/:id`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  access: A;
  body?: B;
  query?: Q;
  params?: P;
  /** A (non-strict) object schema over the lower-cased request headers the route reads, e.g. `if-match`. */
  headers?: H;
  response: { status: number; description: string; schema: R };
  /** The body is bytes of these media types up to `limit` (instead of JSON), e.g. message/rfc822. */
  rawBody?: { contentTypes: string[]; limit: string; description: string };
  /** The answer is streamed bytes of this media type instead of JSON (`handle` returns a StreamedResponse). */
  streamed?: { contentType: string };
  /** Error statuses specific to this route, beside the ones every route of its kind may answer. */
  errors?: number[];
  handle(ctx: RouteContext<A, B, Q, P, H>): Promise<z.input<R> | StreamedResponse>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<Access, any, any, any, z.ZodType, any>;

export function defineRoute<
  A extends Access,
  R extends z.ZodType,
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  H extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<A, B, Q, P, R, H>): AnyRoute {
  return spec as unknown as AnyRoute;
}

/** Writes by a known principal accept Idempotency-Key. */
export function isIdempotentWrite(route: Pick<AnyRoute, 'method' | 'access'>): boolean {
  return route.method !== 'get' && route.access !== 'public';
}
