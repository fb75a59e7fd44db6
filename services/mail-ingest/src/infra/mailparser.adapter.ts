import addressparser from 'nodemailer/lib/addressparser';
import { simpleParser, type AddressObject, type ParsedMail as MailparserMail } from 'mailparser';
import type { MailParser } from '../app/ports';
import type { ParsedAttachment, ParsedMail } from '../domain/parsed-mail';
import { messageIdOf, readTopHeaders } from '../domain/raw-headers';
import { storableText as clean } from '../domain/storable-text';

function addresses(
  value: AddressObject | AddressObject[] | undefined,
): Array<{ address: string; name: string }> {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: Array<{ address: string; name: string }> = [];
  const walk = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.group) walk(entry.group);
      else if (entry.address)
        out.push({
          address: clean(entry.address).trim().toLowerCase(),
          name: clean(entry.name ?? '').trim(),
        });
    }
  };
  for (const item of list) walk(item.value);
  return out;
}

const bracketless = (id: string) => id.trim().replace(/^<|>$/g, '');

/** One id without brackets; none when empty or longer than a header line may be (998). */
function idOf(value: string): string | null {
  const id = bracketless(clean(value));
  return id.length > 0 && id.length <= 998 ? id : null;
}

function idList(value: string | string[] | undefined): string[] {
  const raw = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return raw
    .flatMap((v) => clean(v).split(/[\s,]+/))
    .map(bracketless)
    .filter((id) => id.length > 0 && id.length <= 998);
}

/** mailparser (MIME, transfer encodings, charsets incl. ISO-2022-JP, Shift_JIS, KS C 5601) behind the pipeline's port. */
export class MailparserAdapter implements MailParser {
  async parse(raw: Buffer): Promise<ParsedMail> {
    const top = readTopHeaders(raw);
    const header = (name: string): string | undefined => top.get(name.toLowerCase())?.[0];
    const notes: string[] = [];
    let mail: MailparserMail | null = null;
    try {
      // html-to-text costs seconds and hundreds of MB on a 25 MB HTML body; the ticket service derives the text
      mail = await simpleParser(raw, {
        skipHtmlToText: true,
        skipTextToHtml: true,
        skipImageLinks: true,
        keepCidLinks: true,
      });
    } catch {
      notes.push(
        'The MIME structure could not be read; the thread shows what could be, the raw source holds the rest.',
      );
    }
    if (!mail) {
      // the top headers are read without the parser (a header block of 25 MB is one it refuses)
      const listed = (name: string) =>
        addressparser((header(name) ?? '').slice(0, 16 * 1024), { flatten: true })
          .map((a) => ({ address: a.address.trim().toLowerCase(), name: a.name.trim() }))
          .filter((a) => a.address.includes('@'));
      return {
        messageId: messageIdOf(top),
        inReplyTo: null,
        references: [],
        subject: (header('subject') ?? '').slice(0, 1000),
        from: listed('from')[0] ?? null,
        to: listed('to').map((a) => a.address),
        cc: listed('cc').map((a) => a.address),
        text: '',
        html: null,
        attachments: [],
        header,
        notes,
      };
    }
    const from = addresses(mail.from)[0] ?? null;
    const attachments: ParsedAttachment[] = mail.attachments.map((a, index) => ({
      filename: clean(a.filename ?? '').trim() || `attachment-${index + 1}${extensionFor(a.contentType)}`,
      contentType: clean(a.contentType ?? '') || 'application/octet-stream',
      size: a.size ?? a.content.length,
      content: a.content,
      contentId: a.contentId ? bracketless(clean(a.contentId)) : '',
      inline: a.contentDisposition === 'inline' && Boolean(a.contentId),
    }));
    return {
      messageId: mail.messageId ? idOf(mail.messageId) : messageIdOf(top),
      inReplyTo: idList(mail.inReplyTo)[0] ?? null,
      references: idList(mail.references),
      subject: clean(mail.subject ?? '')
        .replace(/[\r\n]+/g, ' ')
        .trim(),
      from,
      to: addresses(mail.to).map((a) => a.address),
      cc: addresses(mail.cc).map((a) => a.address),
      text: typeof mail.text === 'string' ? clean(mail.text) : '',
      html: typeof mail.html === 'string' ? clean(mail.html) : null,
      attachments,
      header,
      notes,
    };
  }
}

function extensionFor(contentType: string): string {
  const known: Record<string, string> = {
    'message/rfc822': '.eml',
    'message/delivery-status': '.txt',
    'text/rfc822-headers': '.txt',
    'text/plain': '.txt',
    'text/html': '.html',
    'application/pdf': '.pdf',
  };
  return known[contentType.toLowerCase()] ?? '.bin';
}
