import { GatewayError } from '../../../app/errors';
import { toPage } from '../../../app/pagination';
import {
  callerUserId,
  readTicketSnapshot,
  timeReportCsv,
  toCaller,
  toCreateEntryRequest,
  toListEntriesRequest,
  toTimeEntryDto,
  toTimerDto,
  toTimeReportDto,
  toTimeSettingsDto,
  toUpdateEntryRequest,
} from '../mappers/time.mapper';
import { defineRoute, MediaResponse, type AnyRoute } from '../route';
import { idParamsSchema, ifMatchHeadersSchema } from '../schemas/common.schema';
import {
  createTimeEntryBodySchema,
  listTimeEntriesQuerySchema,
  runningTimerSchema,
  startTimerBodySchema,
  startTimerResponseSchema,
  stopTimerBodySchema,
  ticketTimeEntriesQuerySchema,
  timeEntryPageSchema,
  timeEntrySchema,
  timeReportQuerySchema,
  timeReportSchema,
  timeSettingsSchema,
  updateTimeEntryBodySchema,
  updateTimeSettingsBodySchema,
} from '../schemas/time.schema';
import type { RouteDeps } from './route-deps';

const missing = (what: string) => new GatewayError('INTERNAL', `Timekeeping service returned no ${what}`);

function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw missing(what);
  return value;
}

/** Time tracking (docs/product/time-tracking.md): timers on tickets, the caller's running timer. */
export function timerRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/tickets/:id/timer/start',
      operationId: 'startTimer',
      summary:
        "Starts the caller's timer on a ticket; a timer already running for the caller is stopped and logged",
      tag: 'time',
      access: 'tenant',
      params: idParamsSchema,
      body: startTimerBodySchema,
      response: { status: 201, description: 'The running timer', schema: startTimerResponseSchema },
      errors: [403, 404],
      handle: async ({ principal, params, body }) => {
        const ticket = await readTicketSnapshot(deps.tickets, principal.tenantId, params.id);
        const { timer, stopped } = await deps.timekeeping.startTimer({
          tenantId: principal.tenantId,
          caller: toCaller(principal),
          ticket,
          note: body.note ?? '',
          workType: body.workType ?? '',
          billable: body.billable,
        });
        return {
          timer: toTimerDto(present(timer, 'timer')),
          stopped: stopped ? toTimeEntryDto(stopped) : null,
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/tickets/:id/timer/stop',
      operationId: 'stopTimer',
      summary:
        "Stops the caller's timer on a ticket and logs it; 409 when none runs there. Over 12 hours it is logged flagged and non-billable",
      tag: 'time',
      access: 'tenant',
      params: idParamsSchema,
      body: stopTimerBodySchema,
      response: { status: 200, description: 'The logged entry', schema: timeEntrySchema },
      errors: [403, 404, 409],
      handle: async ({ principal, params, body }) => {
        // another tenant's ticket answers 404 before anything about timers is said
        await readTicketSnapshot(deps.tickets, principal.tenantId, params.id);
        const { entry } = await deps.timekeeping.stopTimer({
          tenantId: principal.tenantId,
          caller: toCaller(principal),
          ticketId: params.id,
          note: body.note,
          billable: body.billable,
          workType: body.workType === undefined ? undefined : (body.workType ?? ''),
        });
        return toTimeEntryDto(present(entry, 'entry'));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/me/timer',
      operationId: 'getMyTimer',
      summary: "The caller's running timer, if any (flagged once it has run over 12 hours)",
      tag: 'time',
      access: 'tenant',
      response: { status: 200, description: 'The running timer or null', schema: runningTimerSchema },
      errors: [403],
      handle: async ({ principal }) => {
        const { timer } = await deps.timekeeping.getRunningTimer({
          tenantId: principal.tenantId,
          userId: callerUserId(principal),
        });
        return { timer: timer ? toTimerDto(timer) : null };
      },
    }),
  ];
}

/** Time tracking (docs/product/time-tracking.md): time entries and the per-ticket log. */
export function timeEntryRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/time-entries',
      operationId: 'createTimeEntry',
      summary: 'Logs time on a ticket: start and end, or a duration',
      tag: 'time',
      access: 'tenant',
      body: createTimeEntryBodySchema,
      response: { status: 201, description: 'Created', schema: timeEntrySchema },
      errors: [403, 404],
      handle: async ({ principal, body }) => {
        const ticket = await readTicketSnapshot(deps.tickets, principal.tenantId, body.ticketId);
        if (body.userId !== undefined && body.userId !== callerUserId(principal)) {
          await requireTenantUser(deps, principal.tenantId, body.userId);
        }
        const { entry } = await deps.timekeeping.createEntry(
          toCreateEntryRequest(principal.tenantId, principal, ticket, body),
        );
        return toTimeEntryDto(present(entry, 'entry'));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/time-entries',
      operationId: 'listTimeEntries',
      summary: "Lists the tenant's time entries, newest first",
      tag: 'time',
      access: 'tenant',
      query: listTimeEntriesQuerySchema,
      response: { status: 200, description: 'A page of time entries', schema: timeEntryPageSchema },
      handle: async ({ principal, query }) => {
        const userId = query.userId === 'me' ? callerUserId(principal) : query.userId;
        const response = await deps.timekeeping.listEntries(
          toListEntriesRequest(principal.tenantId, { ...query, userId }, query),
        );
        return toPage(response, toTimeEntryDto);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/time-entries/:id',
      operationId: 'getTimeEntry',
      summary: 'Reads one time entry',
      tag: 'time',
      access: 'tenant',
      params: idParamsSchema,
      response: { status: 200, description: 'The time entry', schema: timeEntrySchema },
      errors: [404],
      handle: async ({ principal, params }) => {
        const { entry } = await deps.timekeeping.getEntry({ tenantId: principal.tenantId, id: params.id });
        return toTimeEntryDto(present(entry, 'entry'));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/time-entries/:id',
      operationId: 'updateTimeEntry',
      summary: 'Changes a time entry (its user or an admin)',
      tag: 'time',
      access: 'tenant',
      params: idParamsSchema,
      headers: ifMatchHeadersSchema,
      body: updateTimeEntryBodySchema,
      response: { status: 200, description: 'The entry after the change', schema: timeEntrySchema },
      errors: [403, 404, 409],
      handle: async ({ principal, params, headers, body }) => {
        const { entry } = await deps.timekeeping.updateEntry(
          toUpdateEntryRequest(principal.tenantId, principal, params.id, headers['if-match'], body),
        );
        return toTimeEntryDto(present(entry, 'entry'));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/time-entries/:id',
      operationId: 'deleteTimeEntry',
      summary: 'Deletes a time entry (its user or an admin)',
      tag: 'time',
      access: 'tenant',
      params: idParamsSchema,
      headers: ifMatchHeadersSchema,
      response: { status: 200, description: 'The deleted entry', schema: timeEntrySchema },
      errors: [403, 404, 409],
      handle: async ({ principal, params, headers }) => {
        const { entry } = await deps.timekeeping.deleteEntry({
          tenantId: principal.tenantId,
          caller: toCaller(principal),
          id: params.id,
          expectedVersion: headers['if-match'],
        });
        return toTimeEntryDto(present(entry, 'entry'));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tickets/:id/time-entries',
      operationId: 'listTicketTimeEntries',
      summary: "A ticket's time log, newest first",
      tag: 'time',
      access: 'tenant',
      params: idParamsSchema,
      query: ticketTimeEntriesQuerySchema,
      response: { status: 200, description: 'A page of time entries', schema: timeEntryPageSchema },
      errors: [404],
      handle: async ({ principal, params, query }) => {
        await readTicketSnapshot(deps.tickets, principal.tenantId, params.id);
        const response = await deps.timekeeping.listEntries(
          toListEntriesRequest(principal.tenantId, { ticketId: params.id }, query),
        );
        return toPage(response, toTimeEntryDto);
      },
    }),
  ];
}

/** Time tracking (docs/product/time-tracking.md): the time report and the tenant's billable rounding. */
export function timeReportRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/reports/time',
      operationId: 'getTimeReport',
      summary:
        "Billable and non-billable minutes by client or user over a period, with the tenant's billable rounding; JSON or CSV",
      tag: 'time',
      access: 'tenant',
      query: timeReportQuerySchema,
      response: {
        status: 200,
        description: 'The report (format=csv: the items as text/csv)',
        schema: timeReportSchema,
        media: ['text/csv'],
      },
      handle: async ({ principal, query }) => {
        const report = toTimeReportDto(
          query,
          await deps.timekeeping.getTimeReport({
            tenantId: principal.tenantId,
            groupBy: query.groupBy,
            from: query.from,
            to: query.to,
          }),
        );
        if (query.format === 'json') return report;
        return new MediaResponse('text/csv', timeReportCsv(report), `time-report-by-${query.groupBy}.csv`);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/time-settings',
      operationId: 'getTimeSettings',
      summary: "The tenant's time settings (billable rounding in reports)",
      tag: 'time',
      access: 'tenant',
      response: { status: 200, description: 'The settings', schema: timeSettingsSchema },
      handle: async ({ principal }) => {
        const { settings } = await deps.timekeeping.getTimeSettings({ tenantId: principal.tenantId });
        return toTimeSettingsDto(present(settings, 'settings'));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/time-settings',
      operationId: 'updateTimeSettings',
      summary: "Changes the tenant's billable rounding, e.g. each billable entry up to 15 minutes (admin)",
      tag: 'time',
      access: 'admin',
      headers: ifMatchHeadersSchema,
      body: updateTimeSettingsBodySchema,
      response: { status: 200, description: 'The settings after the change', schema: timeSettingsSchema },
      errors: [409],
      handle: async ({ principal, headers, body }) => {
        const { settings } = await deps.timekeeping.updateTimeSettings({
          tenantId: principal.tenantId,
          caller: toCaller(principal),
          roundingMinutes: body.billableRounding.minutes,
          roundingMode: body.billableRounding.mode,
          expectedVersion: headers['if-match'],
        });
        return toTimeSettingsDto(present(settings, 'settings'));
      },
    }),
  ];
}

/** An admin logging time for someone: that someone must be a user of the tenant. */
async function requireTenantUser(deps: RouteDeps, tenantId: string, userId: string): Promise<void> {
  try {
    await deps.identity.getUser({ tenantId, id: userId });
  } catch (err) {
    if ((err as { code?: unknown }).code === 'NOT_FOUND') {
      throw new GatewayError('INVALID_ARGUMENT', 'userId is not a user of this tenant', [
        { path: ['userId'], message: 'no such user in this tenant' },
      ]);
    }
    throw err;
  }
}
