import { readableSize } from './byte-size';

describe('readableSize', () => {
  it('names bytes below a kilobyte as bytes', () => {
    expect(readableSize(0)).toBe('0 bytes');
    expect(readableSize(1)).toBe('1 byte');
    expect(readableSize(1023)).toBe('1023 bytes');
  });

  it('gives kilobytes and megabytes with one decimal, never 0 MB for a small limit', () => {
    expect(readableSize(1024)).toBe('1.0 KB');
    expect(readableSize(4096)).toBe('4.0 KB');
    expect(readableSize(1536)).toBe('1.5 KB');
    expect(readableSize(1024 * 1024)).toBe('1.0 MB');
    expect(readableSize(2.5 * 1024 * 1024)).toBe('2.5 MB');
    expect(readableSize(25 * 1024 * 1024)).toBe('25.0 MB');
  });
});
