import fc from 'fast-check';
import { parseCsv } from '@helpdesk/testing';
import { csvField, toCsv } from './csv';

describe('CSV', () => {
  it('quotes only what needs quoting and ends every line with CRLF', () => {
    expect(
      toCsv(
        ['clientId', 'minutes'],
        [
          ['a', 15],
          [null, 0],
        ],
      ),
    ).toBe('clientId,minutes\r\na,15\r\n,0\r\n');
    expect(csvField('Smith, Jones')).toBe('"Smith, Jones"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(true)).toBe('true');
  });

  it('defuses text a spreadsheet would run as a formula, but not numbers', () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-5)).toBe('-5');
  });

  it('reads back as written (property)', () => {
    const text = fc
      .string({ unit: fc.constantFrom('a', 'b', ',', '"', '\r', '\n', ' ', 'é') })
      .filter((s) => !/^[=+\-@\t\r]/.test(s));
    const row = fc.array(fc.oneof(text, fc.integer({ min: 0 })), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 10 }), (rows) => {
        const header = ['h1'];
        const parsed = parseCsv(toCsv(header, rows));
        expect(parsed).toEqual([header, ...rows.map((r) => r.map(String))]);
      }),
    );
  });
});
