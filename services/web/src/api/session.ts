/**
 * Where the browser keeps a session token: in memory, and in sessionStorage so that a reload of the tab keeps it.
 * sessionStorage is this tab's and this origin's only (no other origin's script reads it) and goes with the tab;
 * the token never goes into a URL, a cookie or localStorage.
 */
export interface SessionStore {
  get(): string | undefined;
  set(token: string): void;
  clear(): void;
  /** Called with the new token (undefined when cleared); answers the unsubscribe. */
  subscribe(listener: (token: string | undefined) => void): () => void;
}

type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function browserStorage(): TokenStorage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    // storage refused (privacy settings): memory only
    return undefined;
  }
}

export function createSessionStore(
  key: string,
  storage: TokenStorage | undefined = browserStorage(),
): SessionStore {
  let token = storage?.getItem(key) ?? undefined;
  const listeners = new Set<(token: string | undefined) => void>();
  const emit = () => listeners.forEach((l) => l(token));
  return {
    get: () => token,
    set(next) {
      token = next;
      storage?.setItem(key, next);
      emit();
    },
    clear() {
      if (token === undefined) return;
      token = undefined;
      storage?.removeItem(key);
      emit();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
