// Ticket events as the ticket service publishes them, for the notification tests.
import { randomUUID } from 'node:crypto';
import { commonV1, type EventData, type ticketV1 } from '@helpdesk/contracts';

export const userActor = (id: string) => ({ type: commonV1.ActorType.ACTOR_TYPE_USER, id });

/** The data of `helpdesk.ticket.message_added` for an internal note by `authorId` on `ticket` mentioning `mentions`. */
export function noteAdded(
  ticket: ticketV1.Ticket,
  authorId: string,
  mentions: string[],
  bodyText: string,
): EventData<'helpdesk.ticket.message_added'> {
  return {
    ticket,
    actor: userActor(authorId),
    message: {
      id: randomUUID(),
      ticketId: ticket.id,
      kind: 'internal_note',
      author: userActor(authorId),
      mentions,
      bodyText,
      attachments: [],
      tenantId: ticket.tenantId,
      bodyHtml: '',
      threadingRule: '',
      authorName: '',
    },
  };
}
