import { ApiError, errorText } from './errors';
import { createSessionStore } from './session';

describe('the session store', () => {
  it('keeps the token in memory and in the given storage, and tells listeners', () => {
    const backing = new Map<string, string>();
    const storage = {
      getItem: (k: string) => backing.get(k) ?? null,
      setItem: (k: string, v: string) => void backing.set(k, v),
      removeItem: (k: string) => void backing.delete(k),
    };
    const store = createSessionStore('hd.agent', storage);
    const seen: Array<string | undefined> = [];
    store.subscribe((t) => seen.push(t));
    expect(store.get()).toBeUndefined();
    store.set('tok');
    expect(backing.get('hd.agent')).toBe('tok');
    // a reload of the tab reads it back
    expect(createSessionStore('hd.agent', storage).get()).toBe('tok');
    store.clear();
    store.clear();
    expect(backing.has('hd.agent')).toBe(false);
    expect(seen).toEqual(['tok', undefined]);
  });

  it('works in memory alone when there is no storage', () => {
    const store = createSessionStore('x', undefined);
    store.set('t');
    expect(store.get()).toBe('t');
  });
});

describe('API errors', () => {
  it("show the API's code, message and refused fields", () => {
    const error = ApiError.from(400, {
      error: {
        code: 'INVALID_ARGUMENT',
        message: 'invalid request',
        details: { fields: [{ path: 'title', message: 'Required' }] },
      },
    });
    expect(error.status).toBe(400);
    expect(errorText(error)).toBe('INVALID_ARGUMENT: invalid request (title: Required)');
  });

  it('say something useful for an answer that is not the API’s, or no answer at all', () => {
    expect(errorText(ApiError.from(502, '<html>bad gateway</html>'))).toBe(
      'UNAVAILABLE: The server answered 502',
    );
    expect(errorText(new TypeError('Failed to fetch'))).toBe(
      'The server could not be reached (Failed to fetch)',
    );
  });
});
