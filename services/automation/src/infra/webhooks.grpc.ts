// The notification service's WebhookService over gRPC, as the engine uses it: whether a rule's webhookId is one of
// the tenant's endpoints (when the rule is saved), and the delivery of a fired rule's triggering event.
import { webhookV1 } from '@helpdesk/contracts';
import { createGrpcClient } from '@helpdesk/grpc';
import { isDomainError } from '@helpdesk/platform';
import { WebhookRefusedError, type TriggerEnvelope, type WebhookDeliveries } from '../app/ports';

export class GrpcWebhookDeliveries implements WebhookDeliveries {
  private readonly client;

  constructor(address: string, deadlineMs: number) {
    this.client = createGrpcClient(webhookV1.WebhookServiceClient, address, { deadlineMs });
  }

  close(): void {
    this.client.close();
  }

  async exists(tenantId: string, webhookId: string): Promise<boolean> {
    try {
      const { webhook } = await this.client.getWebhook({ tenantId, id: webhookId });
      return webhook !== undefined;
    } catch (err) {
      if (isDomainError(err) && err.code === 'NOT_FOUND') return false;
      throw err;
    }
  }

  async enqueue(tenantId: string, webhookId: string, event: TriggerEnvelope): Promise<void> {
    try {
      await this.client.enqueueWebhookDelivery({ tenantId, webhookId, eventJson: JSON.stringify(event) });
    } catch (err) {
      if (isDomainError(err)) {
        if (err.code === 'NOT_FOUND')
          throw new WebhookRefusedError('the webhook is not one of the tenant endpoints');
        if (err.code === 'FAILED_PRECONDITION' || err.code === 'INVALID_ARGUMENT')
          throw new WebhookRefusedError(err.message);
      }
      // the notification service is away: the run is taken again later
      throw err;
    }
  }
}
