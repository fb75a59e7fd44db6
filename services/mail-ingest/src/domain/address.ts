import { z } from 'zod';

const email = z.email();

/** An address a contact can have (what the ticket service accepts): plain ASCII, with a domain that has a dot. */
export function isStorableAddress(address: string): boolean {
  return address.length > 0 && address.length <= 320 && email.safeParse(address).success;
}
