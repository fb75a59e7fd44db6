import { shortcutFor, type KeyLike } from './shortcuts';

const key = (k: string, more: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: { tagName: 'BODY' } as unknown as EventTarget,
  ...more,
});

describe('keyboard shortcuts', () => {
  it('maps the single keys to their actions', () => {
    expect(shortcutFor(key('j'))).toBe('next');
    expect(shortcutFor(key('k'))).toBe('previous');
    expect(shortcutFor(key('r'))).toBe('reply');
    expect(shortcutFor(key('n'))).toBe('note');
    expect(shortcutFor(key('a'))).toBe('assignToMe');
    expect(shortcutFor(key('?'))).toBe('help');
    expect(shortcutFor(key('Enter'))).toBe('open');
    expect(shortcutFor(key('x'))).toBeUndefined();
  });

  it('never fires while the user types, or with a modifier (the browser keeps Ctrl+R); Escape always counts', () => {
    for (const tagName of ['INPUT', 'TEXTAREA', 'SELECT'])
      expect(shortcutFor(key('j', { target: { tagName } as unknown as EventTarget }))).toBeUndefined();
    expect(
      shortcutFor(
        key('r', { target: { tagName: 'DIV', isContentEditable: true } as unknown as EventTarget }),
      ),
    ).toBeUndefined();
    expect(shortcutFor(key('r', { ctrlKey: true }))).toBeUndefined();
    expect(shortcutFor(key('a', { metaKey: true }))).toBeUndefined();
    expect(shortcutFor(key('Escape', { target: { tagName: 'TEXTAREA' } as unknown as EventTarget }))).toBe(
      'close',
    );
  });
});
