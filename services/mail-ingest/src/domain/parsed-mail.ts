/** An attachment as parsed out of a mail. */
export interface ParsedAttachment {
  filename: string;
  contentType: string;
  size: number;
  content: Buffer;
  contentId: string;
  inline: boolean;
}

/** What the pipeline reads from a mail; `notes` say what could not be read. */
export interface ParsedMail {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  from: { address: string; name: string } | null;
  to: string[];
  cc: string[];
  text: string;
  html: string | null;
  attachments: ParsedAttachment[];
  /** First value of a header by lower-case name, decoded as text. */
  header(name: string): string | undefined;
  notes: string[];
}
