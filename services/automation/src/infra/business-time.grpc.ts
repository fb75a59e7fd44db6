// Business time from the SLA service: the ticket's policy names its calendar, ComputeDue counts in it.
import { slaV1 } from '@helpdesk/contracts';
import { createGrpcClient } from '@helpdesk/grpc';
import { isDomainError } from '@helpdesk/platform';
import type { BusinessTime } from '../app/ports';

export class GrpcBusinessTime implements BusinessTime {
  private readonly client;

  constructor(address: string, deadlineMs: number) {
    this.client = createGrpcClient(slaV1.SlaServiceClient, address, { deadlineMs });
  }

  close(): void {
    this.client.close();
  }

  async due(tenantId: string, policyId: string | null, from: Date, minutes: number): Promise<Date | null> {
    if (!policyId) return null;
    let calendarId: string;
    try {
      const { policy } = await this.client.getPolicy({ tenantId, id: policyId });
      calendarId = policy?.calendarId ?? '';
    } catch (err) {
      if (isDomainError(err) && err.code === 'NOT_FOUND') return null;
      throw err;
    }
    // a policy without a calendar runs 24×7
    if (!calendarId) return null;
    const { dueAt } = await this.client.computeDue({ tenantId, calendarId, from, minutes });
    return dueAt ?? null;
  }
}
