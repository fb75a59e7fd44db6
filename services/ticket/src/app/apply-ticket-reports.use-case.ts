import { invalidArgument } from '@helpdesk/platform';
import type { TicketSla } from '../domain/ticket';
import type { TicketReportsWriter } from './ports';

/** Keeps `timeSpentMinutes` and `sla` on tickets from the timekeeping and SLA services' events (newest wins). */
export class ApplyTicketReportsUseCase {
  constructor(private readonly writer: TicketReportsWriter) {}

  timeSpent(tenantId: string, ticketId: string, minutes: number, sequence: bigint): Promise<boolean> {
    if (!Number.isInteger(minutes) || minutes < 0)
      throw invalidArgument('time spent must be whole minutes ≥ 0');
    return this.writer.setTimeSpent(tenantId, ticketId, minutes, sequence);
  }

  sla(tenantId: string, ticketId: string, sla: TicketSla, sequence: bigint): Promise<boolean> {
    return this.writer.setSla(tenantId, ticketId, sla, sequence);
  }
}
