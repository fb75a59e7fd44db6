import {
  attachmentIdsOf,
  fileSize,
  insertMention,
  matchMentions,
  mentionAt,
  moveActive,
  readyToSend,
  type Mentionable,
  type PendingFile,
} from './reply';

const person = (name: string, handle: string, active = true): Mentionable => ({
  id: handle,
  name,
  handle,
  active,
});
const people = [
  person('Sam Agent', 'sam'),
  person('Anna Network', 'anna.n'),
  person('José Álvarez', 'jalvarez'),
  person('Hannah Samuels', 'hannah'),
  person('Old Timer', 'samwise', false),
];

describe('the @word at the caret', () => {
  it('finds an @ that starts a word, with the letters typed so far', () => {
    expect(mentionAt('@', 1)).toEqual({ start: 0, end: 1, query: '' });
    expect(mentionAt('Hi @an', 6)).toEqual({ start: 3, end: 6, query: 'an' });
    expect(mentionAt('see (@sam) please', 9)).toEqual({ start: 5, end: 9, query: 'sam' });
    expect(mentionAt('line one\n@anna.n', 16)).toEqual({ start: 9, end: 16, query: 'anna.n' });
  });

  it('takes the whole word when the caret is inside it, so a choice replaces all of it', () => {
    expect(mentionAt('Hi @annx there', 6)).toEqual({ start: 3, end: 8, query: 'an' });
  });

  it('is nothing inside an e-mail address, after a space, before the @, or for a handle too long', () => {
    expect(mentionAt('mail jane@acme.example', 13)).toBeNull();
    expect(mentionAt('Hi @sam and', 8)).toBeNull();
    expect(mentionAt('Hi @sam', 3)).toBeNull();
    expect(mentionAt('no at sign', 5)).toBeNull();
    expect(mentionAt('a@@b', 4)).toBeNull();
    expect(mentionAt(`@${'x'.repeat(65)}`, 66)).toBeNull();
    expect(mentionAt(`@${'x'.repeat(64)}`, 65)).toEqual({ start: 0, end: 65, query: 'x'.repeat(64) });
    expect(mentionAt('@sam', 99)).toBeNull();
  });
});

describe('matching colleagues', () => {
  const handles = (q: string, limit?: number) => matchMentions(people, q, limit).map((p) => p.handle);

  it('offers the active agents only, by name, for a bare @', () => {
    expect(handles('')).toEqual(['anna.n', 'hannah', 'jalvarez', 'sam']);
  });

  it('ranks a handle prefix first, then a name or a word of it, then anything that holds the letters', () => {
    // sam (handle), Hannah Samuels (a word of the name); the inactive samwise is never offered
    expect(handles('sam')).toEqual(['sam', 'hannah']);
    expect(handles('net')).toEqual(['anna.n']);
    expect(handles('ann')).toEqual(['anna.n', 'hannah']);
    expect(handles('SAM')).toEqual(['sam', 'hannah']);
    expect(handles('zz')).toEqual([]);
  });

  it('ignores accents and keeps to the limit', () => {
    expect(handles('alva')).toEqual(['jalvarez']);
    expect(handles('jose')).toEqual(['jalvarez']);
    expect(handles('', 2)).toEqual(['anna.n', 'hannah']);
  });

  it('never offers someone without a handle', () => {
    expect(matchMentions([person('No Handle', '')], '')).toEqual([]);
  });
});

describe('inserting the choice', () => {
  it('replaces the @word with @handle and a space, the caret after it', () => {
    const text = 'Hi @an';
    const out = insertMention(text, mentionAt(text, 6)!, 'anna.n');
    expect(out).toEqual({ text: 'Hi @anna.n ', caret: 11 });
  });

  it('keeps the rest of the text and does not double a space', () => {
    const text = 'Ask @sa about it';
    const out = insertMention(text, mentionAt(text, 7)!, 'sam');
    expect(out).toEqual({ text: 'Ask @sam about it', caret: 9 });
    const glued = 'Ask @sa,ok';
    expect(insertMention(glued, mentionAt(glued, 7)!, 'sam')).toEqual({ text: 'Ask @sam ,ok', caret: 9 });
  });

  it('replaces the whole word when the caret was inside it', () => {
    const text = '@sxm!';
    expect(insertMention(text, mentionAt(text, 2)!, 'sam')).toEqual({ text: '@sam !', caret: 5 });
  });
});

describe('moving through the options', () => {
  it('wraps round with the arrows and jumps with Home and End', () => {
    expect(moveActive(-1, 3, 'ArrowDown')).toBe(0);
    expect(moveActive(0, 3, 'ArrowDown')).toBe(1);
    expect(moveActive(2, 3, 'ArrowDown')).toBe(0);
    expect(moveActive(0, 3, 'ArrowUp')).toBe(2);
    expect(moveActive(-1, 3, 'ArrowUp')).toBe(2);
    expect(moveActive(2, 3, 'ArrowUp')).toBe(1);
    expect(moveActive(1, 3, 'Home')).toBe(0);
    expect(moveActive(1, 3, 'End')).toBe(2);
    expect(moveActive(0, 0, 'ArrowDown')).toBe(-1);
  });
});

describe('files with a message', () => {
  const files: PendingFile[] = [
    { key: '1', name: 'a.txt', size: 3, state: 'stored', attachmentId: 'att-1' },
    { key: '2', name: 'big.iso', size: 9e9, state: 'failed', error: new Error('413') },
    { key: '3', name: 'b.png', size: 5, state: 'stored', attachmentId: 'att-3' },
  ];

  it('sends the stored files, in order, and never a refused one', () => {
    expect(attachmentIdsOf(files)).toEqual(['att-1', 'att-3']);
    expect(attachmentIdsOf([])).toEqual([]);
  });

  it('waits for every upload, and needs words or a stored file', () => {
    expect(readyToSend('', files)).toBe(true);
    expect(readyToSend('  ', [])).toBe(false);
    expect(readyToSend('Hello', [])).toBe(true);
    expect(readyToSend('', [files[1]!])).toBe(false);
    expect(readyToSend('Hello', [...files, { key: '4', name: 'c', size: 1, state: 'uploading' }])).toBe(
      false,
    );
  });

  it('reads sizes as people do', () => {
    expect(fileSize(0)).toBe('0 bytes');
    expect(fileSize(1)).toBe('1 byte');
    expect(fileSize(1023)).toBe('1023 bytes');
    expect(fileSize(1024)).toBe('1 KB');
    expect(fileSize(150 * 1024)).toBe('150 KB');
    expect(fileSize(1024 * 1024)).toBe('1.0 MB');
    expect(fileSize(25 * 1024 * 1024)).toBe('25.0 MB');
  });
});
