/** What a body needs to know of a file to show it as an inline image. */
export interface InlineSource {
  id: string;
  url: string;
  contentId?: string | null;
}

/** The attribute that names the file an inline image shows, until the page has fetched it. */
export const INLINE_ATTRIBUTE = 'data-inline-attachment';

// the sanitizer writes every attribute in double quotes, and the gateway rewrites `src="cid:…"` in the same form
const IMG_SRC = /(<img\b[^>]*?)\ssrc="([^"]*)"/gi;

/**
 * A body's inline images without the addresses the browser cannot load: an image of one of `files` — named by the
 * API's download address (`…/attachments/<id>?inline=1`, which needs the session's Authorization header, which no
 * `<img src>` sends) or, in a ticket's description, by its `cid:` — loses its `src` and gets the file's id in
 * {@link INLINE_ATTRIBUTE}, for the page to fetch with the session and show as a `blob:` address; a `cid:` image of
 * no known file loses its `src` (it could only fail, and the CSP refuses the scheme). Other images stay as they are.
 */
export function withheldInlineImages(html: string, files: readonly InlineSource[]): string {
  if (!/<img\b/i.test(html)) return html;
  const byUrl = new Map<string, string>();
  const byCid = new Map<string, string>();
  for (const f of files) {
    byUrl.set(f.url, f.id);
    byUrl.set(`${f.url}?inline=1`, f.id);
    if (f.contentId) byCid.set(f.contentId.toLowerCase(), f.id);
  }
  return html.replace(IMG_SRC, (whole, start: string, src: string) => {
    const cid = /^cid:(.+)$/i.exec(src)?.[1];
    const id = cid === undefined ? byUrl.get(src) : byCid.get(cid.toLowerCase());
    if (id !== undefined) return `${start} ${INLINE_ATTRIBUTE}="${id}"`;
    return cid === undefined ? whole : start;
  });
}
