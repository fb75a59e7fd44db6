/** An API answer that was not a success: its status and the gateway's `{error: {code, message, details}}`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** From a failed answer's status and parsed body (which may be anything: a proxy's HTML, nothing). */
  static from(status: number, body: unknown): ApiError {
    const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)
      ?.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string')
      return new ApiError(status, error.code, error.message, error.details);
    return new ApiError(
      status,
      status >= 500 ? 'UNAVAILABLE' : 'HTTP_' + status,
      `The server answered ${status}`,
    );
  }

  /** The fields the API refused, as `path: message` lines (details.fields). */
  fieldMessages(): string[] {
    const fields = (this.details as { fields?: Array<{ path?: unknown; message?: unknown }> } | undefined)
      ?.fields;
    if (!Array.isArray(fields)) return [];
    return fields.map((f) => `${String(f.path ?? '')}: ${String(f.message ?? '')}`);
  }
}

/** What a user reads for any failure: the API's code and message, or the browser's own error. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.fieldMessages();
    return `${error.code}: ${error.message}${fields.length ? ` (${fields.join('; ')})` : ''}`;
  }
  if (error instanceof TypeError) return `The server could not be reached (${error.message})`;
  return error instanceof Error ? error.message : String(error);
}
