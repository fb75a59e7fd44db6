/** RFC 6266: the name as a quoted string, plus the exact UTF-8 name (RFC 8187) when it is not plain ASCII. */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const exact = ascii === filename ? '' : `; filename*=UTF-8''${encodeRfc8187(filename)}`;
  return `${kind}; filename="${ascii}"${exact}`;
}

// encodeURIComponent leaves a few characters that RFC 8187's attr-char does not allow
function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
