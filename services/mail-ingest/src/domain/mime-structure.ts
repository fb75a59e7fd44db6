// A linear scan of a raw message's MIME structure before any parser sees it: how many parts, how deep. Parsers
// build a tree per part, so a hostile message of 100,000 parts or 10,000 levels would cost them far more than
// its size; this scan costs one pass over the bytes and a stack bounded by the depth limit.

export interface MimeLimits {
  maxDepth: number;
  maxParts: number;
}

export interface MimeStructure {
  parts: number;
  depth: number;
  /** Which limit the message breaks, if any (the scan stops there). */
  exceeded: 'depth' | 'parts' | null;
}

interface Frame {
  // null: an embedded message/rfc822, closed by the boundary of the part around it
  boundary: string | null;
}

const CONTENT_TYPE = /^content-type\s*:\s*([^;\s]+)(.*)$/i;
const CONTENT_TYPE_NAME = /^content-type\s*:/i;
const BOUNDARY = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^\s;]+))/i;

// a Content-Type longer than this is not one a parser would take either; its boundary is in the first bytes
const MAX_CONTENT_TYPE = 16 * 1024;

function headerBlockType(contentType: string | null): { type: string; boundary: string | null } {
  const match = contentType === null ? null : CONTENT_TYPE.exec(contentType);
  if (!match) return { type: 'text/plain', boundary: null };
  const type = match[1]!.toLowerCase();
  const b = BOUNDARY.exec(match[2] ?? '');
  return { type, boundary: b ? (b[1] ?? b[2] ?? null) : null };
}

/** Scans `raw` (any line endings) and stops at the first limit broken. */
export function scanMimeStructure(raw: Buffer, limits: MimeLimits): MimeStructure {
  const text = raw.toString('latin1');
  const stack: Frame[] = [];
  let parts = 1;
  let depth = 0;
  let inHeaders = true;
  // only the first Content-Type of a header block (unfolded) is kept: a block of a million headers costs no memory
  let contentType: string | null = null;
  let inContentType = false;
  let pos = 0;

  const endHeaders = (): MimeStructure['exceeded'] => {
    const { type, boundary } = headerBlockType(contentType);
    contentType = null;
    inContentType = false;
    inHeaders = false;
    if (type.startsWith('multipart/') && boundary) {
      stack.push({ boundary: `--${boundary}` });
    } else if (type === 'message/rfc822' || type === 'message/global') {
      stack.push({ boundary: null });
      inHeaders = true;
    } else {
      return null;
    }
    depth = Math.max(depth, stack.length);
    return stack.length > limits.maxDepth ? 'depth' : null;
  };

  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let line = text.slice(pos, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    pos = end + 1;

    if (inHeaders) {
      if (line === '') {
        const exceeded = endHeaders();
        if (exceeded) return { parts, depth, exceeded };
      } else if (line.startsWith(' ') || line.startsWith('\t')) {
        if (inContentType && contentType!.length < MAX_CONTENT_TYPE) contentType += ` ${line.trim()}`;
      } else {
        inContentType = contentType === null && CONTENT_TYPE_NAME.test(line);
        if (inContentType) contentType = line.slice(0, MAX_CONTENT_TYPE);
      }
      if (end >= text.length) break;
      continue;
    }
    if (line.startsWith('--')) {
      const trimmed = line.trimEnd();
      for (let i = stack.length - 1; i >= 0; i--) {
        const boundary = stack[i]!.boundary;
        if (boundary === null) continue;
        if (trimmed === boundary) {
          stack.length = i + 1;
          parts++;
          if (parts > limits.maxParts) return { parts, depth, exceeded: 'parts' };
          inHeaders = true;
          break;
        }
        if (trimmed === `${boundary}--`) {
          stack.length = i;
          break;
        }
      }
    }
    if (end >= text.length) break;
  }
  return { parts, depth, exceeded: null };
}
