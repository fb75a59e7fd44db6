import { invalidArgument } from '@helpdesk/platform';
import { DirectoryRuleError } from '../domain/directory';
import { TicketRuleError } from '../domain/ticket';

/** Runs a pure rule; its TicketRuleError or DirectoryRuleError becomes INVALID_ARGUMENT naming the field. */
export function ruled<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TicketRuleError || err instanceof DirectoryRuleError) {
      throw invalidArgument(`${err.field}: ${err.message}`, [
        { path: err.field.split('.'), message: err.message },
      ]);
    }
    throw err;
  }
}
