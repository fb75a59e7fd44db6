// The console's keyboard shortcuts: one key, no modifier, never while the user types in a field.

export type ShortcutAction =
  'next' | 'previous' | 'open' | 'reply' | 'note' | 'assignToMe' | 'help' | 'close';

export const SHORTCUTS: ReadonlyArray<{ keys: string; action: ShortcutAction; description: string }> = [
  { keys: 'j', action: 'next', description: 'Next ticket' },
  { keys: 'k', action: 'previous', description: 'Previous ticket' },
  { keys: 'Enter', action: 'open', description: 'Open the selected ticket (list)' },
  { keys: 'r', action: 'reply', description: 'Write a public reply' },
  { keys: 'n', action: 'note', description: 'Write an internal note' },
  { keys: 'a', action: 'assignToMe', description: 'Assign the ticket to me' },
  { keys: '?', action: 'help', description: 'Show these shortcuts' },
  { keys: 'Escape', action: 'close', description: 'Close the dialog, leave the reply box' },
];

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean } | null;
  if (!el) return false;
  const tag = el.tagName?.toLowerCase();
  return tag === 'input' || tag === 'textarea' || tag === 'select' || el.isContentEditable === true;
}

/** The action of a key press, or undefined when it is none (or the user is typing; Escape always counts). */
export function shortcutFor(event: KeyLike): ShortcutAction | undefined {
  if (event.ctrlKey || event.metaKey || event.altKey) return undefined;
  if (event.key === 'Escape') return 'close';
  if (isTyping(event.target)) return undefined;
  return SHORTCUTS.find((s) => s.keys === event.key)?.action;
}
