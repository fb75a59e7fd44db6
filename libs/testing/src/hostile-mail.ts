// Hostile raw mails for the intake's system test and benchmark (issue 18): nesting past the MIME limits and just
// under them, 10,000 parts, 25 MB of header, broken encodings, NUL bytes, a zip that claims gigabytes, a boundary
// that never closes, no or garbage From, a 2,000-character Message-ID. Each is built from a tag, so that two runs
// (or two cases) never share a Message-ID unless the case wants none.
import { deflateRawSync } from 'node:zlib';

export interface HostileMail {
  /** Short stable name (test labels, bench rows). */
  name: string;
  raw: Buffer;
}

const MiB = 1024 * 1024;
const CRLF = '\r\n';

export interface HostileMailOptions {
  /** Makes Message-IDs unique per run (e.g. a random prefix). */
  tag: string;
  /** The MIME limits of the intake under test (defaults: mail-ingest's, 50 levels and 1,000 parts). */
  maxDepth?: number;
  maxParts?: number;
  /** The total size of the 25 MB header cases (default 25 MiB less 64 KiB, under the gateway's 25 MB). */
  bigBytes?: number;
}

function head(
  tag: string,
  name: string,
  extra: string[] = [],
  from = `Hostile Sender <hostile@attacker.example>`,
) {
  return [
    ...(from === '' ? [] : [`From: ${from}`]),
    'To: support@msp.test',
    `Subject: hostile ${name}`,
    `Message-ID: <${name}.${tag}@attacker.example>`,
    'Date: Sun, 6 Dec 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    ...extra,
  ].join(CRLF);
}

const mail = (name: string, text: string | Buffer): HostileMail => ({
  name,
  raw: typeof text === 'string' ? Buffer.from(text, 'latin1') : text,
});

/** `depth` multiparts, one inside the other, a text part at the bottom. */
export function nestedMime(depth: number, header: string): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let level = 1; level <= depth; level++) {
    open.push(`Content-Type: multipart/mixed; boundary="n${level}"${CRLF}${CRLF}--n${level}${CRLF}`);
    close.unshift(`--n${level}--${CRLF}`);
  }
  return `${header}${CRLF}${open.join('')}Content-Type: text/plain${CRLF}${CRLF}the bottom${CRLF}${close.join('')}`;
}

/** One multipart/mixed of `parts` text parts. */
export function wideMime(parts: number, header: string): string {
  const each: string[] = [];
  for (let i = 0; i < parts; i++)
    each.push(`--w${CRLF}Content-Type: text/plain${CRLF}${CRLF}part ${i}${CRLF}`);
  return `${header}${CRLF}Content-Type: multipart/mixed; boundary=w${CRLF}${CRLF}${each.join('')}--w--${CRLF}`;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A small zip (a few KB) whose entries each claim 4 GB of zeros: deflated megabytes of zeros with the
 * uncompressed size in both headers set to 0xFFFFFFF0. Anything that unpacks it to look inside is hurt.
 */
export function zipBomb(entries = 8): Buffer {
  const data = deflateRawSync(Buffer.alloc(4 * MiB), { level: 9 });
  const claimed = 0xfffffff0;
  const crc = crc32(Buffer.alloc(4 * MiB));
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < entries; i++) {
    const name = Buffer.from(`zeros-${i}.bin`);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(claimed, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(claimed, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries, 8);
  end.writeUInt16LE(entries, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Every hostile case, small ones first. The two 25 MB cases are built only when `big` is set. */
export function hostileMails(options: HostileMailOptions & { big?: boolean }): HostileMail[] {
  const { tag } = options;
  const maxDepth = options.maxDepth ?? 50;
  const maxParts = options.maxParts ?? 1000;
  const h = (name: string, extra: string[] = [], from?: string) => head(tag, name, extra, from);
  const zip = zipBomb().toString('base64').replace(/.{76}/g, `$&${CRLF}`);
  const text = `Content-Type: text/plain; charset=utf-8${CRLF}`;
  const cases: HostileMail[] = [
    mail('depth-under-limit', nestedMime(maxDepth, h('depth-under-limit'))),
    mail('depth-over-limit', nestedMime(maxDepth + 1, h('depth-over-limit'))),
    mail('depth-100000', nestedMime(100_000, h('depth-100000'))),
    mail('parts-10000', wideMime(10_000, h('parts-10000'))),
    mail('parts-under-limit', wideMime(maxParts - 1, h('parts-under-limit'))),
    mail(
      'base64-invalid',
      `${h('base64-invalid', ['Content-Type: multipart/mixed; boundary=b'])}${CRLF}${CRLF}--b${CRLF}${text}Content-Transfer-Encoding: base64${CRLF}${CRLF}SGVsbG8g!!!d29y*bGQ=====%%%${CRLF}A${CRLF}--b${CRLF}Content-Type: application/pdf; name=x.pdf${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}JVBERi0xLj\u00ff\u00fe====QQ${CRLF}--b--${CRLF}`,
    ),
    mail(
      'qp-truncated',
      `${h('qp-truncated', [text.trim(), 'Content-Transfer-Encoding: quoted-printable'])}${CRLF}${CRLF}Caf=C3=A9 is =\r\nbroken =E${CRLF}and ends mid escape =C`,
    ),
    mail(
      'charset-unknown',
      `${h('charset-unknown', ['Content-Type: text/plain; charset="x-no-such-charset-42"', 'Content-Transfer-Encoding: 8bit'])}${CRLF}${CRLF}Gr\u00fc\u00dfe aus K\u00f6ln${CRLF}`,
    ),
    mail(
      'charset-lying',
      // says UTF-16, holds Latin-1 bytes (an odd count); the encoded word in the subject lies too
      `${h('charset-lying', ['Content-Type: text/plain; charset=utf-16', 'Content-Transfer-Encoding: 8bit', 'X-Lie: =?utf-7?B?////?='])}${CRLF}${CRLF}Gr\u00fc\u00dfe, r\u00e9sum\u00e9 na\u00efve!${CRLF}`,
    ),
    mail(
      'header-8bit',
      [
        'From: J\u00f6rg M\u00fcller \u00a7\u00ff <joerg@attacker.example>',
        'To: support@msp.test',
        'Subject: Gr\u00fc\u00dfe \u0080\u0081\u009f \u00ff\u00fe',
        `Message-ID: <header-8bit.${tag}@attacker.example>`,
        'X-Raw: \u00c3\u0028\u00a0\u00a1',
        '',
        'body',
        '',
      ].join(CRLF),
    ),
    mail(
      'utf8-invalid',
      Buffer.concat([
        Buffer.from(
          h('utf8-invalid', [text.trim(), 'Content-Transfer-Encoding: 8bit']).replace(
            'Subject: hostile utf8-invalid',
            `Subject: =?utf-8?B?${Buffer.from([0xc3, 0x28, 0xe2, 0x82, 0xf0, 0x90, 0x28, 0xbc]).toString('base64')}?=`,
          ) + CRLF,
          'latin1',
        ),
        Buffer.from(CRLF),
        Buffer.from([
          0xc3, 0x28, 0x20, 0xa0, 0xa1, 0x20, 0xe2, 0x28, 0xa1, 0x20, 0xf8, 0xa1, 0xa1, 0xa1, 0xa1,
        ]),
        Buffer.from(` overlong \u00c0\u00af and a lone surrogate \u00ed\u00a0\u0080${CRLF}`, 'latin1'),
      ]),
    ),
    mail(
      'nul-bytes',
      [
        'From: Nul\u0000Sender <nul@attacker.example>',
        'To: support@msp.test',
        'Subject: NUL \u0000 in the\u0000subject',
        `Message-ID: <nul-bytes.${tag}@attacker.example>`,
        'X-Nul: \u0000\u0000\u0000',
        'Content-Type: multipart/mixed; boundary=z',
        '',
        '--z',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'text\u0000with\u0000NULs',
        '--z',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>html\u0000with NUL</p>',
        '--z',
        'Content-Type: application/octet-stream; name="n\u0000ul.bin"',
        'Content-Disposition: attachment; filename="n\u0000ul.bin"',
        '',
        '\u0000\u0000\u0000\u0000',
        '--z--',
        '',
      ].join(CRLF),
    ),
    mail(
      'zip-bomb',
      `${h('zip-bomb', ['Content-Type: multipart/mixed; boundary=zz'])}${CRLF}${CRLF}--zz${CRLF}${text}${CRLF}the report is attached${CRLF}--zz${CRLF}Content-Type: application/zip; name=report.zip${CRLF}Content-Disposition: attachment; filename=report.zip${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${zip}${CRLF}--zz--${CRLF}`,
    ),
    mail(
      'boundary-never-closes',
      `${h('boundary-never-closes', ['Content-Type: multipart/mixed; boundary="open"'])}${CRLF}${CRLF}preamble${CRLF}--open${CRLF}${text}${CRLF}first part${CRLF}--open${CRLF}Content-Type: multipart/alternative; boundary="inner"${CRLF}${CRLF}--inner${CRLF}${text}${CRLF}inner part, and then the mail just stops`,
    ),
    mail('from-missing', `${h('from-missing', [text.trim()], '')}${CRLF}${CRLF}no From header at all${CRLF}`),
    mail(
      'from-garbage',
      `${h('from-garbage', [text.trim()], '<<<@@@>>> ;;; ,,, "unclosed \u0001\u0002 =?x?Q?=ZZ?= @')}${CRLF}${CRLF}a From of garbage${CRLF}`,
    ),
    mail(
      'message-id-2000',
      `${h('message-id-2000', [text.trim()]).replace(/Message-ID: <[^>]*>/, `Message-ID: <${'m'.repeat(2000 - tag.length - 14)}.${tag}@attacker.example>`)}${CRLF}${CRLF}a very long Message-ID${CRLF}`,
    ),
  ];
  if (options.big) cases.push(...bigHostileMails(options));
  return cases;
}

/** The two 25 MB header cases: one header line of 25 MB, and 25 MB of short headers. */
export function bigHostileMails(options: HostileMailOptions): HostileMail[] {
  const total = options.bigBytes ?? 25 * MiB - 64 * 1024;
  const oneHead = h2(options.tag, 'header-one-line');
  const oneBody = `${CRLF}${CRLF}one header line of 25 MB above${CRLF}`;
  const filler = 'x'.repeat(total - oneHead.length - oneBody.length - 12 - CRLF.length);
  const manyHead = h2(options.tag, 'header-many');
  const line = (i: number) => `X-Filler-${i}: some value that repeats${CRLF}`;
  const lines: string[] = [];
  let size = manyHead.length + CRLF.length + 64;
  for (let i = 0; size + line(i).length < total; i++) {
    lines.push(line(i));
    size += line(i).length;
  }
  return [
    mail('header-one-line', `${oneHead}${CRLF}X-Filler: ${filler}${oneBody}`),
    mail('header-many', `${manyHead}${CRLF}${lines.join('')}${CRLF}many headers above${CRLF}`),
  ];
}

function h2(tag: string, name: string): string {
  return head(tag, name, ['Content-Type: text/plain; charset=utf-8']);
}
