import { storableText } from './storable-text';

describe('storableText', () => {
  it('drops NUL characters', () => {
    expect(storableText('a\u0000b\u0000\u0000c')).toBe('abc');
  });

  it('replaces lone surrogates, keeps pairs', () => {
    expect(storableText('x\uD800y\uDC00z')).toBe('x\uFFFDy\uFFFDz');
    expect(storableText('emoji \uD83D\uDE00')).toBe('emoji \uD83D\uDE00');
  });

  it('leaves ordinary text alone', () => {
    expect(storableText('Grüße, まみむめも\r\n\t')).toBe('Grüße, まみむめも\r\n\t');
  });
});
