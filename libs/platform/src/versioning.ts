// Optimistic concurrency and partial updates, as every service's PATCH use cases apply them.
import { conflict, type DomainError } from './errors';

/** If-Match: the caller's version must still be the stored one; CONFLICT names the current version. */
export function checkVersion(what: string, expected: number | undefined, current: number): void {
  if (expected !== undefined && expected !== current) {
    throw conflict(`${what} was changed by someone else (version ${current}, not ${expected})`, {
      currentVersion: current,
    });
  }
}

/** The conditional write found the row at another version: someone else changed it meanwhile. */
export function staleWrite(what: string): DomainError {
  return conflict(`${what} was changed by someone else; read it again and retry`);
}

/** Keeps the old value when the patch leaves a field out. */
export function patched<T>(value: T | undefined, current: T): T {
  return value === undefined ? current : value;
}
