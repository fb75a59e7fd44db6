import type { Logger } from '@helpdesk/platform';
import type { z } from 'zod';
import type {
  ContactPrincipal,
  OperatorPrincipal,
  TenantPrincipal,
  UserPrincipal,
} from '../../app/principal';

/**
 * Who may call a route: anyone; any principal of a tenant (agent JWT or API key); a signed-in user of a tenant,
 * agent or admin (JWT, never an API key: ADR 50); a tenant admin (JWT with role admin); a customer contact signed
 * in to the portal; or the platform operator (HELPDESK_OPERATOR_TOKEN).
 */
export type Access = 'public' | 'tenant' | 'user' | 'admin' | 'contact' | 'operator';

export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

type PrincipalFor<A extends Access> = A extends 'tenant' | 'admin'
  ? TenantPrincipal
  : A extends 'user'
    ? UserPrincipal
    : A extends 'contact'
      ? ContactPrincipal
      : A extends 'operator'
        ? OperatorPrincipal
        : undefined;

/** A file part of a multipart/form-data upload, streamed (never buffered whole). */
export interface UploadedFile {
  filename: string;
  contentType: string;
  content: AsyncIterable<Buffer>;
}

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
  /** The file of a multipart upload route (its `upload` option), undefined elsewhere. */
  file?: UploadedFile;
  /** The request body as bytes, for a route with `rawBody`; undefined elsewhere. */
  rawBody?: Buffer;
}

/**
 * An answer in a media type other than JSON (e.g. `text/csv`), for a route that lists that type in
 * `response.media`. The status is the route's; errors still answer JSON.
 */
export class MediaResponse<T extends string = string> {
  constructor(
    readonly contentType: T | string,
    /** The content; a stream is sent as it arrives (files), never held whole. */
    readonly body: string | Buffer | AsyncIterable<Buffer>,
    /** Offered under this file name (Content-Disposition: attachment, or inline with `options.inline`). */
    readonly filename?: string,
    readonly options: {
      inline?: boolean;
      headers?: Record<string, string>;
      /** Another status than the route's (a page that reports a failure). */
      status?: number;
    } = {},
  ) {}
}

/** The media type that stands for "any file" in a route's `response.media`. */
export const ANY_FILE = 'application/octet-stream';

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
  M extends string = never,
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
  /**
   * The success answer: JSON described by `schema`, or, for the media types listed in `media`, a
   * {@link MediaResponse} of one of them. `application/octet-stream` in `media` stands for any file (a download,
   * answered in the file's own type).
   */
  response: {
    status: number;
    description: string;
    schema: R;
    media?: readonly M[];
    /** The route answers only its media types, never JSON (downloads). */
    mediaOnly?: boolean;
  };
  /** A multipart/form-data upload of one file in the named field, instead of a JSON body. */
  upload?: { field: string };
  /** The body is bytes of these media types up to `limit` (instead of JSON), e.g. message/rfc822. */
  rawBody?: { contentTypes: string[]; limit: string; description: string };
  /** Error statuses specific to this route, beside the ones every route of its kind may answer. */
  errors?: number[];
  handle(ctx: RouteContext<A, B, Q, P, H>): Promise<z.input<R> | MediaResponse<M>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<Access, any, any, any, z.ZodType, any, string>;

export function defineRoute<
  A extends Access,
  R extends z.ZodType,
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  H extends z.ZodType | undefined = undefined,
  M extends string = never,
>(spec: RouteSpec<A, B, Q, P, R, H, M>): AnyRoute {
  return spec as unknown as AnyRoute;
}

/** Writes by a known principal accept Idempotency-Key. */
export function isIdempotentWrite(route: Pick<AnyRoute, 'method' | 'access'>): boolean {
  return route.method !== 'get' && route.access !== 'public';
}
