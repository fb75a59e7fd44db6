import { isDomainError } from '@helpdesk/platform';
import { contactNameFor, normalizeEmail, type Contact } from '../domain/directory';
import type { CreateContactUseCase } from './create-contact.use-case';
import { ruled } from './directory-support';
import type { DirectoryReader } from './ports';

export interface ResolveContactInput {
  email: string;
  /** Used only when the contact is created; an existing contact keeps its name. */
  name?: string;
  /** The client a created contact joins (the one an agent picked for the ticket); absent: the client of its domain. */
  clientId?: string;
}

/**
 * Find-or-create of a requester by e-mail (docs/product/tenants-and-users.md: unknown senders become contacts; a
 * sender whose domain matches a client's domains joins that client). For ticket creation and e-mail intake.
 */
export class ResolveContactUseCase {
  constructor(
    private readonly directory: DirectoryReader,
    private readonly createContact: CreateContactUseCase,
  ) {}

  async execute(tenantId: string, input: ResolveContactInput): Promise<Contact> {
    return (await this.resolve(tenantId, input)).contact;
  }

  /** Like execute, and tells whether the contact was created by this call. */
  async resolve(
    tenantId: string,
    input: ResolveContactInput,
  ): Promise<{ contact: Contact; created: boolean }> {
    const email = ruled(() => normalizeEmail(input.email));
    const existing = await this.directory.findContactByEmail(tenantId, email);
    if (existing) return { contact: existing, created: false };
    try {
      const contact = await this.createContact.execute({
        tenantId,
        // cut to length rather than refused: a sender's display name is not the caller's mistake
        name: contactNameFor(email, input.name),
        email,
        phone: '',
        clientId: input.clientId ?? null,
        portalAccess: '',
        password: null,
      });
      return { contact, created: true };
    } catch (err) {
      // two first mails of one sender at once: the loser reads what the winner created
      if (isDomainError(err) && err.code === 'ALREADY_EXISTS') {
        const winner = await this.directory.findContactByEmail(tenantId, email);
        if (winner) return { contact: winner, created: false };
      }
      throw err;
    }
  }
}
