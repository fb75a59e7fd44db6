import { SanitizeHtmlSanitizer } from './html-sanitizer';

const sanitizer = new SanitizeHtmlSanitizer();

describe('SanitizeHtmlSanitizer', () => {
  it('removes scripts, event handlers and styles but keeps the allowed markup', () => {
    const { html, text } = sanitizer.sanitize(
      '<p onclick="steal()">Hello <b>there</b><script>alert(1)</script></p><style>p{}</style><img src="x" onerror="alert(2)">' +
        '<h2 style="color:red">Steps</h2><ol><li>one</li><li><em>two</em></li></ol>',
    );
    expect(html).toBe('<p>Hello <b>there</b></p><h2>Steps</h2><ol><li>one</li><li><em>two</em></li></ol>');
    expect(html).not.toMatch(/script|onerror|onclick|style|alert/);
    expect(text).toContain('Hello there');
    expect(text).toContain('Steps');
    expect(text).toMatch(/1\. one\n\s*2\. two/);
  });

  it('keeps http, https and mailto links with rel=noopener and drops javascript:, data: and relative ones', () => {
    const { html } = sanitizer.sanitize(
      '<a href="https://example.com/a" title="A" target="_blank" rel="opener">a</a>' +
        '<a href="mailto:help@example.com">m</a>' +
        '<a href="javascript:alert(1)">j</a>' +
        '<a href=" JaVaScRiPt:alert(1)">j2</a>' +
        '<a href="data:text/html;base64,PHNjcmlwdD4=">d</a>' +
        '<a href="/api/v1/tickets">r</a>' +
        '<a href="//evil.example/">p</a>',
    );
    expect(html).toBe(
      '<a href="https://example.com/a" title="A" rel="noopener noreferrer">a</a>' +
        '<a href="mailto:help@example.com" rel="noopener noreferrer">m</a>' +
        '<a rel="noopener noreferrer">j</a>' +
        '<a rel="noopener noreferrer">j2</a>' +
        '<a rel="noopener noreferrer">d</a>' +
        '<a rel="noopener noreferrer">r</a>' +
        '<a rel="noopener noreferrer">p</a>',
    );
  });

  it('keeps http(s) and cid: images, drops data:, relative and javascript: ones', () => {
    const { html, text } = sanitizer.sanitize(
      '<p><img src="cid:logo@mail" alt="Logo" width="10"><img src="https://cdn.example/x.png">' +
        '<img src="data:image/png;base64,AAAA"><img src="/internal.png"><img src="javascript:alert(1)"></p>',
    );
    expect(html).toBe('<p><img src="cid:logo@mail" alt="Logo" /><img src="https://cdn.example/x.png" /></p>');
    expect(text).toBe('');
  });

  it('keeps tables and drops iframes, forms and unknown tags with their attributes', () => {
    const { html } = sanitizer.sanitize(
      '<table class="x"><thead><tr><th colspan="2">H</th></tr></thead><tbody><tr><td>1</td><td onmouseover="x()">2</td></tr></tbody></table>' +
        '<iframe src="https://evil.example"></iframe><form action="https://evil.example"><input name="p"></form><blink>hi</blink>',
    );
    expect(html).toBe(
      '<table><thead><tr><th colspan="2">H</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>hi',
    );
  });

  it('turns plain text into escaped paragraphs and keeps it as the text copy', () => {
    const input = 'Printer says 5 < 6 & "jammed".\r\nPlease help.\n\n\nThanks, Ann';
    const { html, text } = sanitizer.sanitize(input);
    expect(html).toBe(
      '<p>Printer says 5 &lt; 6 &amp; &quot;jammed&quot;.<br />Please help.</p><p>Thanks, Ann</p>',
    );
    expect(text).toBe('Printer says 5 < 6 & "jammed".\nPlease help.\n\n\nThanks, Ann');
  });

  it('answers empty output for empty or blank input', () => {
    expect(sanitizer.sanitize('')).toEqual({ html: '', text: '' });
    expect(sanitizer.sanitize(' \n ')).toEqual({ html: '', text: '' });
  });

  it('does not wrap long lines in the text copy', () => {
    const long = 'word '.repeat(60).trim();
    expect(sanitizer.sanitize(`<p>${long}</p>`).text).toBe(long);
  });

  it('treats text with only entities as HTML and decodes them in the text copy', () => {
    const { html, text } = sanitizer.sanitize('Fish &amp; chips');
    expect(html).toBe('Fish &amp; chips');
    expect(text).toBe('Fish & chips');
  });
});
