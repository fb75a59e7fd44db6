import {
  commonV1,
  directoryV1,
  identityV1,
  mailV1,
  slaV1,
  templateV1,
  ticketV1,
  timekeepingV1,
  webhookV1,
} from '@helpdesk/contracts';
import { z } from 'zod';
import { clientSchema, contactSchema } from '../schemas/directory.schema';
import { apiKeySchema } from '../schemas/api-key.schema';
import { inboundMailSchema, mailboxSchema } from '../schemas/mail.schema';
import { portalTicketSchema } from '../schemas/portal.schema';
import { calendarSchema, policySchema } from '../schemas/sla.schema';
import { teamSchema } from '../schemas/team.schema';
import { templateSchema } from '../schemas/template.schema';
import { tenantSchema } from '../schemas/tenant.schema';
import { messageSchema, ticketSchema } from '../schemas/ticket.schema';
import { timeEntrySchema } from '../schemas/time.schema';
import { userSchema } from '../schemas/user.schema';
import { webhookDeliverySchema, webhookSchema } from '../schemas/webhook.schema';
import { toClientDto, toContactDto } from './directory.mapper';
import { toApiKeyDto, toTeamDto, toTenantDto, toUserDto } from './identity.mapper';
import { toInboundDto, toMailboxDto } from './mail.mapper';
import { toCalendarDto, toPolicyDto } from './sla.mapper';
import { toTemplateDto } from './template.mapper';
import { toMessageDto, toPortalTicketDto, toTicketDto } from './ticket.mapper';
import { toTimeEntryDto } from './time.mapper';
import { toWebhookDeliveryDto, toWebhookDto } from './webhook.mapper';

const id = '0b7f1f5e-3c1a-4d2b-9e8f-1a2b3c4d5e6f';
const other = '1c8e2a6f-4d2b-4e3c-8f9a-2b3c4d5e6f70';
const at = new Date('2026-03-04T05:06:07.000Z');

/**
 * The DTO types are the schemas' (z.input); this checks the values too: what a mapper makes of a proto message
 * is valid for the route's response schema and carries no key the schema (and so the OpenAPI document) lacks.
 */
function expectConforms(schema: z.ZodObject, dto: object): void {
  const parsed = schema.safeParse(dto);
  expect(parsed.error?.issues).toBeUndefined();
  expect(Object.keys(dto).filter((key) => !(key in schema.shape))).toEqual([]);
}

describe('REST mappers', () => {
  it('answer what the response schemas describe, and nothing more', () => {
    const ticket = ticketV1.Ticket.fromPartial({
      id,
      number: 7,
      title: 'Printer',
      status: 'open',
      priority: 'high',
      source: 'email',
      clientId: other,
      requester: { email: 'jo@client.example', name: '' },
      createdBy: { type: commonV1.ActorType.ACTOR_TYPE_USER, id: other },
      openedAt: at,
      updatedAt: at,
      version: 2,
    });
    expectConforms(ticketSchema, toTicketDto(ticket));
    expectConforms(portalTicketSchema, toPortalTicketDto(ticket));
    expectConforms(
      messageSchema,
      toMessageDto(
        ticketV1.TicketMessage.fromPartial({ id, ticketId: other, kind: 'public_reply', createdAt: at }),
      ),
    );
    expectConforms(
      userSchema,
      toUserDto(identityV1.User.fromPartial({ id, email: 'a@b.example', role: 'agent' })),
    );
    expectConforms(
      teamSchema,
      toTeamDto(identityV1.Team.fromPartial({ id, name: 'L1', memberIds: [other] })),
    );
    expectConforms(
      tenantSchema,
      toTenantDto(identityV1.Tenant.fromPartial({ id, name: 'MSP', createdAt: at })),
    );
    expectConforms(
      apiKeySchema,
      toApiKeyDto(identityV1.ApiKey.fromPartial({ id, name: 'ci', prefix: 'hd_x' })),
    );
    expectConforms(
      clientSchema,
      toClientDto(directoryV1.Client.fromPartial({ id, name: 'Acme', domains: ['acme.example'] })),
    );
    expectConforms(
      contactSchema,
      toContactDto(directoryV1.Contact.fromPartial({ id, name: 'Jo', email: 'jo@acme.example' })),
    );
    expectConforms(
      templateSchema,
      toTemplateDto(templateV1.TicketTemplate.fromPartial({ id, name: 'Onboarding' })),
    );
    expectConforms(
      timeEntrySchema,
      toTimeEntryDto(
        timekeepingV1.TimeEntry.fromPartial({
          id,
          ticketId: other,
          userId: other,
          startedAt: at,
          endedAt: at,
        }),
      ),
    );
    expectConforms(
      calendarSchema,
      toCalendarDto(slaV1.Calendar.fromPartial({ id, name: 'Office', timezone: 'UTC' })),
    );
    expectConforms(
      policySchema,
      toPolicyDto(slaV1.Policy.fromPartial({ id, name: 'Default', isDefault: true })),
    );
    expectConforms(
      mailboxSchema,
      toMailboxDto(mailV1.Mailbox.fromPartial({ id, name: 'Support', address: 's@msp.example' })),
    );
    expectConforms(
      inboundMailSchema,
      toInboundDto(mailV1.InboundMail.fromPartial({ id, mailboxId: other, receivedAt: at })),
    );
    expectConforms(
      webhookSchema,
      toWebhookDto(
        webhookV1.Webhook.fromPartial({
          id,
          url: 'https://crm.example/hook',
          events: ['*'],
          active: false,
          disabledReason: 'gone',
          disabledAt: at,
          createdAt: at,
          version: 2,
        }),
      ),
    );
    const delivery = toWebhookDeliveryDto(
      webhookV1.WebhookDelivery.fromPartial({
        id,
        eventId: other,
        eventType: 'ticket.created',
        status: 'failed',
        attempts: [
          { at, statusCode: 0, durationMs: 15000, error: 'no answer within 15000 ms' },
          { at, statusCode: 500, durationMs: 3, error: 'HTTP 500' },
        ],
        createdAt: at,
      }),
    );
    expectConforms(webhookDeliverySchema, delivery);
    expect(delivery.attempts.map((a) => a.statusCode)).toEqual([null, 500]);
    expect(delivery.nextAttemptAt).toBeNull();
  });
});
