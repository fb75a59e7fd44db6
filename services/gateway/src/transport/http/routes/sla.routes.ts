import { GatewayError } from '../../../app/errors';
import { toPage } from '../../../app/pagination';
import { toActor } from '../../../app/principal';
import {
  toCalendarDto,
  toCreateCalendarRequest,
  toCreatePolicyRequest,
  toListRequest,
  toPolicyDto,
  toTicketSlaDto,
  toUpdateCalendarRequest,
  toUpdatePolicyRequest,
} from '../mappers/sla.mapper';
import { defineRoute, type AnyRoute } from '../route';
import { idParamsSchema, ifMatchHeadersSchema, pageQuerySchema } from '../schemas/common.schema';
import {
  calendarPageSchema,
  calendarSchema,
  createCalendarBodySchema,
  createPolicyBodySchema,
  dueQuerySchema,
  dueSchema,
  policyPageSchema,
  policySchema,
  ticketSlaSchema,
  updateCalendarBodySchema,
  updatePolicyBodySchema,
} from '../schemas/sla.schema';
import type { RouteDeps } from './route-deps';
import { updateTarget } from '../mappers/update-target';

function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new GatewayError('INTERNAL', `SLA service returned no ${what}`);
  return value;
}

/** Business calendars (docs/product/sla.md): reading for every agent, changes for admins. */
export function calendarRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/calendars',
      operationId: 'listCalendars',
      summary: "Lists the tenant's business calendars",
      tag: 'sla',
      access: 'tenant',
      query: pageQuerySchema,
      response: { status: 200, description: 'A page of calendars', schema: calendarPageSchema },
      handle: async ({ principal, query }) =>
        toPage(await deps.sla.listCalendars(toListRequest(principal.tenantId, query)), toCalendarDto),
    }),
    defineRoute({
      method: 'post',
      path: '/calendars',
      operationId: 'createCalendar',
      summary: 'Creates a business calendar (admin)',
      tag: 'sla',
      access: 'admin',
      body: createCalendarBodySchema,
      response: { status: 201, description: 'Created', schema: calendarSchema },
      handle: async ({ principal, body }) => {
        const { calendar } = await deps.sla.createCalendar(
          toCreateCalendarRequest(principal.tenantId, toActor(principal), body),
        );
        return toCalendarDto(present(calendar, 'calendar'));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/calendars/:id',
      operationId: 'getCalendar',
      summary: 'Reads one business calendar',
      tag: 'sla',
      access: 'tenant',
      params: idParamsSchema,
      response: { status: 200, description: 'The calendar', schema: calendarSchema },
      errors: [404],
      handle: async ({ principal, params }) => {
        const { calendar } = await deps.sla.getCalendar({ tenantId: principal.tenantId, id: params.id });
        return toCalendarDto(present(calendar, 'calendar'));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/calendars/:id',
      operationId: 'updateCalendar',
      summary: "Changes a calendar's name, zone, hours or holidays (admin)",
      tag: 'sla',
      access: 'admin',
      params: idParamsSchema,
      headers: ifMatchHeadersSchema,
      body: updateCalendarBodySchema,
      response: { status: 200, description: 'The calendar after the change', schema: calendarSchema },
      errors: [404, 409],
      handle: async ({ principal, params, headers, body }) => {
        const { calendar } = await deps.sla.updateCalendar(
          toUpdateCalendarRequest(updateTarget(principal, params.id, headers['if-match']), body),
        );
        return toCalendarDto(present(calendar, 'calendar'));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/calendars/:id/due',
      operationId: 'computeDue',
      summary: 'The instant that many business minutes of the calendar after `from`',
      tag: 'sla',
      access: 'tenant',
      params: idParamsSchema,
      query: dueQuerySchema,
      response: { status: 200, description: 'The due instant', schema: dueSchema },
      errors: [404],
      handle: async ({ principal, params, query }) => {
        const { dueAt } = await deps.sla.computeDue({
          tenantId: principal.tenantId,
          calendarId: params.id,
          from: query.from ? new Date(query.from) : new Date(),
          minutes: query.minutes,
        });
        return { dueAt: present(dueAt, 'due time').toISOString() };
      },
    }),
  ];
}

/** SLA policies (docs/product/sla.md): reading for every agent, changes for admins. */
export function slaPolicyRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/sla-policies',
      operationId: 'listSlaPolicies',
      summary: "Lists the tenant's SLA policies in the order they are matched",
      tag: 'sla',
      access: 'tenant',
      query: pageQuerySchema,
      response: { status: 200, description: 'A page of policies', schema: policyPageSchema },
      handle: async ({ principal, query }) =>
        toPage(await deps.sla.listPolicies(toListRequest(principal.tenantId, query)), toPolicyDto),
    }),
    defineRoute({
      method: 'post',
      path: '/sla-policies',
      operationId: 'createSlaPolicy',
      summary: 'Creates an SLA policy (admin)',
      tag: 'sla',
      access: 'admin',
      body: createPolicyBodySchema,
      response: { status: 201, description: 'Created', schema: policySchema },
      handle: async ({ principal, body }) => {
        const { policy } = await deps.sla.createPolicy(
          toCreatePolicyRequest(principal.tenantId, toActor(principal), body),
        );
        return toPolicyDto(present(policy, 'policy'));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/sla-policies/:id',
      operationId: 'getSlaPolicy',
      summary: 'Reads one SLA policy',
      tag: 'sla',
      access: 'tenant',
      params: idParamsSchema,
      response: { status: 200, description: 'The policy', schema: policySchema },
      errors: [404],
      handle: async ({ principal, params }) => {
        const { policy } = await deps.sla.getPolicy({ tenantId: principal.tenantId, id: params.id });
        return toPolicyDto(present(policy, 'policy'));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/sla-policies/:id',
      operationId: 'updateSlaPolicy',
      summary: 'Changes an SLA policy (admin); tickets under it follow from their next change',
      tag: 'sla',
      access: 'admin',
      params: idParamsSchema,
      headers: ifMatchHeadersSchema,
      body: updatePolicyBodySchema,
      response: { status: 200, description: 'The policy after the change', schema: policySchema },
      errors: [404, 409],
      handle: async ({ principal, params, headers, body }) => {
        const { policy } = await deps.sla.updatePolicy(
          toUpdatePolicyRequest(updateTarget(principal, params.id, headers['if-match']), body),
        );
        return toPolicyDto(present(policy, 'policy'));
      },
    }),
  ];
}

/** A ticket's SLA clocks (docs/product/sla.md): read them, or "Reset SLA". */
export function ticketSlaRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/tickets/:id/sla',
      operationId: 'getTicketSla',
      summary: "A ticket's SLA clocks as the SLA service keeps them",
      tag: 'sla',
      access: 'tenant',
      params: idParamsSchema,
      response: { status: 200, description: "The ticket's SLA", schema: ticketSlaSchema },
      errors: [404],
      handle: async ({ principal, params }) => {
        const { sla } = await deps.sla.getTicketSla({ tenantId: principal.tenantId, ticketId: params.id });
        return toTicketSlaDto(present(sla, 'SLA'));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/tickets/:id/sla/reset',
      operationId: 'resetTicketSla',
      summary: 'Restarts both SLA clocks of a ticket from now',
      tag: 'sla',
      access: 'tenant',
      params: idParamsSchema,
      response: { status: 200, description: "The ticket's SLA after the reset", schema: ticketSlaSchema },
      errors: [404, 409],
      handle: async ({ principal, params }) => {
        // the ticket service decides who may see the ticket: another tenant's answers 404 there
        const { ticket } = await deps.tickets.getTicket({
          tenantId: principal.tenantId,
          id: params.id,
          actor: toActor(principal),
          number: 0,
        });
        const { sla } = await deps.sla.resetTicketSla({
          tenantId: principal.tenantId,
          actor: toActor(principal),
          ticketId: params.id,
          ticket: present(ticket, 'ticket'),
        });
        return toTicketSlaDto(present(sla, 'SLA'));
      },
    }),
  ];
}
