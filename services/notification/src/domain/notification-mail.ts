// The e-mail that tells an agent about one or more notifications of one ticket (a batch), with a link to it.

export interface MailLine {
  title: string;
  body: string;
  actorName: string;
  createdAt: Date;
}

export interface AgentMailInput {
  userName: string;
  ticketId: string | null;
  ticketNumber: number | null;
  /** Oldest first. */
  lines: MailLine[];
  /** The agent console's public address, e.g. https://help.example.com. */
  appBaseUrl: string;
}

/** The ticket page of the agent console. */
export function ticketLink(appBaseUrl: string, ticketId: string): string {
  return `${appBaseUrl.replace(/\/+$/, '')}/tickets/${encodeURIComponent(ticketId)}`;
}

/** Subject and plain text of a batch's mail: one line per notification, oldest first. */
export function composeAgentMail(input: AgentMailInput): { subject: string; bodyText: string } {
  const { lines } = input;
  const first = lines[0];
  if (!first) throw new Error('a notification mail needs at least one notification');
  const subject =
    lines.length === 1
      ? first.title
      : input.ticketNumber !== null
        ? `#${input.ticketNumber}: ${lines.length} updates`
        : `${lines.length} notifications`;
  const body: string[] = [`Hello ${input.userName || 'there'},`, ''];
  for (const line of lines) {
    body.push(`- ${line.title}`);
    if (line.body) body.push(`  ${line.body}`);
  }
  if (input.ticketId) body.push('', `Open the ticket: ${ticketLink(input.appBaseUrl, input.ticketId)}`);
  body.push(
    '',
    '--',
    'You receive this because of your notification preferences; change them under My notifications.',
  );
  return { subject: subject.slice(0, 998), bodyText: body.join('\n') };
}
