import { subjectWithToken, ticketNumbersIn } from '@helpdesk/mail';
import { readableSize } from '@helpdesk/platform';

/** At most this many References (the first and the newest ones), as mail clients do for long threads. */
const MAX_REFERENCES = 20;

export function trimReferences(ids: readonly string[]): string[] {
  const unique = [...new Set(ids.filter((id) => id.length > 0))];
  if (unique.length <= MAX_REFERENCES) return unique;
  return [unique[0]!, ...unique.slice(unique.length - (MAX_REFERENCES - 1))];
}

export interface AutoReplyInput {
  ticketNumber: number;
  subject: string;
  ticketTitle: string;
  oversize: Array<{ filename: string; size: number }>;
}

function oversizeLines(oversize: AutoReplyInput['oversize']): string[] {
  if (oversize.length === 0) return [];
  return [
    '',
    'These attachments were too large to be added and were left out:',
    ...oversize.map((a) => `  - ${a.filename} (${readableSize(a.size)})`),
    'Please send them another way, e.g. as a download link.',
  ];
}

/** The automatic reply to a new e-mail ticket: the token in the subject, how to follow up. */
export function autoReply(input: AutoReplyInput): { subject: string; text: string } {
  return {
    subject: subjectWithToken(input.ticketNumber, input.subject || input.ticketTitle, 'Re: '),
    text: [
      'Hello,',
      '',
      `we have received your message and opened ticket #${input.ticketNumber}: ${input.ticketTitle}`,
      'We will get back to you as soon as we can. To add anything, simply reply to this e-mail',
      `and keep [#${input.ticketNumber}] in the subject.`,
      ...oversizeLines(input.oversize),
      '',
      'This is an automatic reply.',
    ].join('\n'),
  };
}

/** The notice to a sender whose attachments on an existing ticket were left out. */
export function oversizeNotice(input: AutoReplyInput): { subject: string; text: string } {
  return {
    subject: subjectWithToken(input.ticketNumber, input.subject || input.ticketTitle, 'Re: '),
    text: [
      'Hello,',
      '',
      `your message was added to ticket #${input.ticketNumber}.`,
      ...oversizeLines(input.oversize),
      '',
      'This is an automatic message.',
    ].join('\n'),
  };
}

/** A rule's e-mail (`send_email`): the rule's subject, with the ticket's token added unless it names it already. */
export function ruleMailSubject(ticketNumber: number, subject: string): string {
  return ticketNumbersIn(subject).includes(ticketNumber)
    ? subject.trim()
    : subjectWithToken(ticketNumber, subject);
}

/** An agent's public reply as mail: its subject carries the token. */
export function publicReplySubject(ticketNumber: number, ticketTitle: string): string {
  return subjectWithToken(ticketNumber, ticketTitle, 'Re: ');
}

export function magicLink(link: string, expiresAt: Date, name: string): { subject: string; text: string } {
  return {
    subject: 'Your sign-in link',
    text: [
      name ? `Hello ${name},` : 'Hello,',
      '',
      'use this link to sign in to the support portal:',
      link,
      '',
      `It works once and expires at ${expiresAt.toISOString().replace('T', ' ').slice(0, 16)} UTC.`,
      'If you did not ask for it, you can ignore this e-mail.',
    ].join('\n'),
  };
}
