import type { TicketReportsWriter } from '../app/ports';
import { slaStateOf, type TicketSla } from '../domain/ticket';
import { slaToJson } from './sla-json';

/** Through a consumer's pg transaction (libs/bus hands handlers a pg client, inbox included). */
export class PgTicketReportsWriter implements TicketReportsWriter {
  constructor(
    private readonly tx: { query(text: string, values?: unknown[]): Promise<{ rowCount: number | null }> },
  ) {}

  async setTimeSpent(
    tenantId: string,
    ticketId: string,
    minutes: number,
    sequence: bigint,
  ): Promise<boolean> {
    const result = await this.tx.query(
      `UPDATE tickets SET time_spent_minutes = $1, time_sequence = $2
       WHERE tenant_id = $3::uuid AND id = $4::uuid AND time_sequence < $2`,
      [minutes, sequence.toString(), tenantId, ticketId],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async setSla(tenantId: string, ticketId: string, sla: TicketSla, sequence: bigint): Promise<boolean> {
    const result = await this.tx.query(
      `UPDATE tickets SET sla = $1::jsonb, sla_state = $2, sla_sequence = $3
       WHERE tenant_id = $4::uuid AND id = $5::uuid AND sla_sequence < $3`,
      [JSON.stringify(slaToJson(sla)), slaStateOf(sla), sequence.toString(), tenantId, ticketId],
    );
    return (result.rowCount ?? 0) > 0;
  }
}
