/** The logging surface the bus needs; a pino Logger (e.g. from @helpdesk/platform) satisfies it. */
export interface BusLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Error fields safe to log: message and code, never a payload. */
export function errorFields(err: unknown): { err: { message: string; code?: string } } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { err: { message: err.message, ...(code !== undefined ? { code: String(code) } : {}) } };
  }
  return { err: { message: String(err) } };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
