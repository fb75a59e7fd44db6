import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { slaV1 } from '@helpdesk/contracts';
import { unary } from '@helpdesk/grpc';
import type { Logger } from '@helpdesk/platform';
import type { ComputeDueUseCase } from '../../app/compute-due.use-case';
import type { CreateCalendarUseCase } from '../../app/create-calendar.use-case';
import type { CreatePolicyUseCase } from '../../app/create-policy.use-case';
import type { GetCalendarUseCase } from '../../app/get-calendar.use-case';
import type { GetPolicyUseCase } from '../../app/get-policy.use-case';
import type { ListCalendarsUseCase } from '../../app/list-calendars.use-case';
import type { ListPoliciesUseCase } from '../../app/list-policies.use-case';
import type { GetTicketSlaUseCase, ResetTicketSlaUseCase } from '../../app/ticket-sla.use-cases';
import type { UpdateCalendarUseCase } from '../../app/update-calendar.use-case';
import type { UpdatePolicyUseCase } from '../../app/update-policy.use-case';
import { toProtoCalendar, toProtoPolicy, toProtoTicketSla } from '../sla.mapper';
import { ticketFacts } from '../ticket-facts';
import {
  computeDueRequestSchema,
  createCalendarRequestSchema,
  createPolicyRequestSchema,
  getRequestSchema,
  listRequestSchema,
  ticketSlaRequestSchema,
  updateCalendarRequestSchema,
  updatePolicyRequestSchema,
} from './sla.schemas';

export interface SlaUseCases {
  createCalendar: CreateCalendarUseCase;
  getCalendar: GetCalendarUseCase;
  listCalendars: ListCalendarsUseCase;
  updateCalendar: UpdateCalendarUseCase;
  computeDue: ComputeDueUseCase;
  createPolicy: CreatePolicyUseCase;
  getPolicy: GetPolicyUseCase;
  listPolicies: ListPoliciesUseCase;
  updatePolicy: UpdatePolicyUseCase;
  getTicketSla: GetTicketSlaUseCase;
  resetTicketSla: ResetTicketSlaUseCase;
}

/** SlaService: proto messages in, zod-checked use-case input, proto messages out. */
export function slaHandlers(
  deps: SlaUseCases & { logger: Logger },
): slaV1.SlaServiceServer & UntypedServiceImplementation {
  const { logger } = deps;
  return {
    createCalendar: unary<slaV1.CreateCalendarRequest, slaV1.CreateCalendarResponse>(async (request) => {
      const calendar = await deps.createCalendar.execute(createCalendarRequestSchema.parse(request));
      logger.info({ tenantId: calendar.tenantId, calendarId: calendar.id }, 'calendar created');
      return { calendar: toProtoCalendar(calendar) };
    }, logger),

    getCalendar: unary<slaV1.GetCalendarRequest, slaV1.GetCalendarResponse>(
      async (request) => ({
        calendar: toProtoCalendar(await deps.getCalendar.execute(getRequestSchema.parse(request))),
      }),
      logger,
    ),

    listCalendars: unary<slaV1.ListCalendarsRequest, slaV1.ListCalendarsResponse>(async (request) => {
      const input = listRequestSchema.parse(request);
      const page = await deps.listCalendars.execute({ tenantId: input.tenantId, ...input.page });
      return { items: page.items.map(toProtoCalendar), nextCursor: page.nextCursor ?? '' };
    }, logger),

    updateCalendar: unary<slaV1.UpdateCalendarRequest, slaV1.UpdateCalendarResponse>(async (request) => {
      const calendar = await deps.updateCalendar.execute(updateCalendarRequestSchema.parse(request));
      logger.info(
        { tenantId: calendar.tenantId, calendarId: calendar.id, version: calendar.version },
        'calendar updated',
      );
      return { calendar: toProtoCalendar(calendar) };
    }, logger),

    computeDue: unary<slaV1.ComputeDueRequest, slaV1.ComputeDueResponse>(
      async (request) => ({ dueAt: await deps.computeDue.execute(computeDueRequestSchema.parse(request)) }),
      logger,
    ),

    createPolicy: unary<slaV1.CreatePolicyRequest, slaV1.CreatePolicyResponse>(async (request) => {
      const policy = await deps.createPolicy.execute(createPolicyRequestSchema.parse(request));
      logger.info({ tenantId: policy.tenantId, policyId: policy.id }, 'SLA policy created');
      return { policy: toProtoPolicy(policy) };
    }, logger),

    getPolicy: unary<slaV1.GetPolicyRequest, slaV1.GetPolicyResponse>(
      async (request) => ({
        policy: toProtoPolicy(await deps.getPolicy.execute(getRequestSchema.parse(request))),
      }),
      logger,
    ),

    listPolicies: unary<slaV1.ListPoliciesRequest, slaV1.ListPoliciesResponse>(async (request) => {
      const input = listRequestSchema.parse(request);
      const page = await deps.listPolicies.execute({ tenantId: input.tenantId, ...input.page });
      return { items: page.items.map(toProtoPolicy), nextCursor: page.nextCursor ?? '' };
    }, logger),

    updatePolicy: unary<slaV1.UpdatePolicyRequest, slaV1.UpdatePolicyResponse>(async (request) => {
      const policy = await deps.updatePolicy.execute(updatePolicyRequestSchema.parse(request));
      logger.info(
        { tenantId: policy.tenantId, policyId: policy.id, version: policy.version },
        'SLA policy updated',
      );
      return { policy: toProtoPolicy(policy) };
    }, logger),

    getTicketSla: unary<slaV1.GetTicketSlaRequest, slaV1.GetTicketSlaResponse>(
      async (request) => ({
        sla: toProtoTicketSla(await deps.getTicketSla.execute(ticketSlaRequestSchema.parse(request))),
      }),
      logger,
    ),

    resetTicketSla: unary<slaV1.ResetTicketSlaRequest, slaV1.ResetTicketSlaResponse>(async (request) => {
      const input = ticketSlaRequestSchema.parse(request);
      const ticket = request.ticket ? ticketFacts(request.ticket) : undefined;
      const sla = await deps.resetTicketSla.execute({ ...input, ticket });
      logger.info({ tenantId: input.tenantId, ticketId: input.ticketId }, 'ticket SLA reset');
      return { sla: toProtoTicketSla(sla) };
    }, logger),
  };
}
