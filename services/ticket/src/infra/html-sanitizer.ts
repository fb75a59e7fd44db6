import sanitizeHtml from 'sanitize-html';
import { compile } from 'html-to-text';
import type { HtmlSanitizer, SanitizedDescription } from '../app/ports';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
const LINK_SCHEME = /^(https?|mailto):/i;
// cid: keeps inline images of e-mail working; data: stays out (payload smuggling, tracking-free lookalikes)
const IMAGE_SCHEME = /^(https?|cid):/i;

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'b',
    'i',
    'strong',
    'em',
    'u',
    's',
    'a',
    'ul',
    'ol',
    'li',
    'blockquote',
    'code',
    'pre',
    ...HEADINGS,
    'table',
    'caption',
    'colgroup',
    'col',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'img',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt'],
    th: ['colspan', 'rowspan'],
    td: ['colspan', 'rowspan'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https', 'cid'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // relative URLs would resolve against the agent console's own origin, so only absolute ones survive
    a: (tagName, attribs) => {
      const { href, title } = attribs;
      const safe: Record<string, string> = {};
      if (href !== undefined && LINK_SCHEME.test(href.trim())) safe.href = href.trim();
      if (title !== undefined) safe.title = title;
      safe.rel = 'noopener noreferrer';
      return { tagName, attribs: safe };
    },
    img: (tagName, attribs) => {
      const { src, alt } = attribs;
      const safe: Record<string, string> = {};
      if (src !== undefined && IMAGE_SCHEME.test(src.trim())) safe.src = src.trim();
      if (alt !== undefined) safe.alt = alt;
      return { tagName, attribs: safe };
    },
  },
  // an image whose source was removed would only render as a broken frame
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
};

const TEXT_OPTIONS = {
  wordwrap: false as const,
  selectors: [
    ...HEADINGS.map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    // images carry no text of their own beyond their alt, and cid: references mean nothing to a reader
    { selector: 'img', format: 'skip' },
  ],
};
// compiled once: `convert` would build the selector picker again for every body
const toText = compile(TEXT_OPTIONS);

// markup is recognised by a tag-like token; anything else is plain text that must be escaped, not parsed
const LOOKS_LIKE_HTML = /<\/?[a-z][a-z0-9-]*(\s[^<>]*)?\/?>|<!--|&[a-z]+;|&#\d+;/i;

export class SanitizeHtmlSanitizer implements HtmlSanitizer {
  sanitize(input: string): SanitizedDescription {
    if (input.trim().length === 0) return { html: '', text: '' };
    if (!LOOKS_LIKE_HTML.test(input)) return plainText(input);
    const html = sanitizeHtml(input, SANITIZE_OPTIONS).trim();
    return { html, text: toText(html).trim() };
  }
}

function plainText(input: string): SanitizedDescription {
  const text = input.replace(/\r\n?/g, '\n').trim();
  const html = text
    .split(/\n{2,}/)
    .map((para) => `<p>${escapeHtml(para).replace(/\n/g, '<br />')}</p>`)
    .join('');
  return { html, text };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
