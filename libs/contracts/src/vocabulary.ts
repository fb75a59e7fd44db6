// The ticket vocabulary every service and the REST API share (docs/product/tickets.md): the values a ticket's
// status, priority and source and a message's kind take. The services keep their own rules about them; the lists
// are the contract.
export const TICKET_STATUSES = [
  'open',
  'in_progress',
  'waiting_on_customer',
  'waiting_on_third_party',
  'resolved',
  'closed',
] as const;
export const TICKET_PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export const TICKET_SOURCES = ['email', 'portal', 'web_form', 'agent', 'api', 'phone'] as const;
export const MESSAGE_KINDS = ['email_in', 'email_out', 'public_reply', 'internal_note', 'system'] as const;
