import { contentDisposition } from './content-disposition';

describe('contentDisposition', () => {
  it('quotes a plain ASCII name', () => {
    expect(contentDisposition('attachment', 'report 2026.pdf')).toBe(
      'attachment; filename="report 2026.pdf"',
    );
  });

  it('adds the exact UTF-8 name beside an ASCII fallback, and never lets quotes or backslashes out', () => {
    expect(contentDisposition('inline', 'Übersicht "Q1"\\(final).png')).toBe(
      `inline; filename="_bersicht _Q1__(final).png"; filename*=UTF-8''%C3%9Cbersicht%20%22Q1%22%5C%28final%29.png`,
    );
  });
});
