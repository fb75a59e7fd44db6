import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { timekeepingV1 } from '@helpdesk/contracts';
import { unary } from '@helpdesk/grpc';
import type { Logger } from '@helpdesk/platform';
import type { TimekeepingUseCases } from '../../app/use-cases';
import { toProtoEntry, toProtoRounding, toProtoSettings, toProtoTimer } from '../time.mapper';
import {
  createEntryRequestSchema,
  deleteEntryRequestSchema,
  getEntryRequestSchema,
  getRunningTimerRequestSchema,
  getTimeReportRequestSchema,
  getTimeSettingsRequestSchema,
  listEntriesRequestSchema,
  startTimerRequestSchema,
  stopTimerRequestSchema,
  updateEntryRequestSchema,
  updateTimeSettingsRequestSchema,
} from './time.schemas';

/** TimekeepingService: proto messages in, zod-checked use-case input, proto messages out. */
export function timekeepingHandlers(
  useCases: TimekeepingUseCases,
  logger: Logger,
): timekeepingV1.TimekeepingServiceServer & UntypedServiceImplementation {
  return {
    startTimer: unary<timekeepingV1.StartTimerRequest, timekeepingV1.StartTimerResponse>(async (request) => {
      const result = await useCases.startTimer.execute(startTimerRequestSchema.parse(request));
      logger.info(
        { tenantId: result.timer.tenantId, timerId: result.timer.id, stoppedId: result.stopped?.id },
        'timer started',
      );
      return {
        timer: toProtoTimer(result.timer),
        stopped: result.stopped ? toProtoEntry(result.stopped) : undefined,
      };
    }, logger),

    stopTimer: unary<timekeepingV1.StopTimerRequest, timekeepingV1.StopTimerResponse>(async (request) => {
      const entry = await useCases.stopTimer.execute(stopTimerRequestSchema.parse(request));
      logger.info({ tenantId: entry.tenantId, entryId: entry.id, flagged: entry.flagged }, 'timer stopped');
      return { entry: toProtoEntry(entry) };
    }, logger),

    getRunningTimer: unary<timekeepingV1.GetRunningTimerRequest, timekeepingV1.GetRunningTimerResponse>(
      async (request) => {
        const timer = await useCases.getRunningTimer.execute(getRunningTimerRequestSchema.parse(request));
        return { timer: timer ? toProtoTimer(timer) : undefined };
      },
      logger,
    ),

    createEntry: unary<timekeepingV1.CreateEntryRequest, timekeepingV1.CreateEntryResponse>(
      async (request) => {
        const entry = await useCases.createEntry.execute(createEntryRequestSchema.parse(request));
        logger.info({ tenantId: entry.tenantId, entryId: entry.id }, 'time entry created');
        return { entry: toProtoEntry(entry) };
      },
      logger,
    ),

    getEntry: unary<timekeepingV1.GetEntryRequest, timekeepingV1.GetEntryResponse>(
      async (request) => ({
        entry: toProtoEntry(await useCases.getEntry.execute(getEntryRequestSchema.parse(request))),
      }),
      logger,
    ),

    updateEntry: unary<timekeepingV1.UpdateEntryRequest, timekeepingV1.UpdateEntryResponse>(
      async (request) => {
        const entry = await useCases.updateEntry.execute(updateEntryRequestSchema.parse(request));
        logger.info(
          { tenantId: entry.tenantId, entryId: entry.id, version: entry.version },
          'time entry updated',
        );
        return { entry: toProtoEntry(entry) };
      },
      logger,
    ),

    deleteEntry: unary<timekeepingV1.DeleteEntryRequest, timekeepingV1.DeleteEntryResponse>(
      async (request) => {
        const entry = await useCases.deleteEntry.execute(deleteEntryRequestSchema.parse(request));
        logger.info({ tenantId: entry.tenantId, entryId: entry.id }, 'time entry deleted');
        return { entry: toProtoEntry(entry) };
      },
      logger,
    ),

    listEntries: unary<timekeepingV1.ListEntriesRequest, timekeepingV1.ListEntriesResponse>(
      async (request) => {
        const { page, ...filters } = listEntriesRequestSchema.parse(request);
        const result = await useCases.listEntries.execute({ ...filters, ...page });
        return { items: result.items.map(toProtoEntry), nextCursor: result.nextCursor ?? '' };
      },
      logger,
    ),

    getTimeReport: unary<timekeepingV1.GetTimeReportRequest, timekeepingV1.GetTimeReportResponse>(
      async (request) => {
        const report = await useCases.timeReport.execute(getTimeReportRequestSchema.parse(request));
        const row = (r: (typeof report.rows)[number]) => ({
          key: r.key ?? '',
          billableMinutes: r.billableMinutes,
          nonBillableMinutes: r.nonBillableMinutes,
          flaggedMinutes: r.flaggedMinutes,
        });
        return {
          rows: report.rows.map(row),
          totals: row({ key: null, ...report.totals }),
          rounding: toProtoRounding(report.rounding),
          flagged: report.flagged.map(toProtoEntry),
          flaggedCount: report.flaggedCount,
        };
      },
      logger,
    ),

    getTimeSettings: unary<timekeepingV1.GetTimeSettingsRequest, timekeepingV1.GetTimeSettingsResponse>(
      async (request) => ({
        settings: toProtoSettings(
          await useCases.getTimeSettings.execute(getTimeSettingsRequestSchema.parse(request)),
        ),
      }),
      logger,
    ),

    updateTimeSettings: unary<
      timekeepingV1.UpdateTimeSettingsRequest,
      timekeepingV1.UpdateTimeSettingsResponse
    >(async (request) => {
      const settings = await useCases.updateTimeSettings.execute(
        updateTimeSettingsRequestSchema.parse(request),
      );
      logger.info({ tenantId: settings.tenantId, version: settings.version }, 'time settings updated');
      return { settings: toProtoSettings(settings) };
    }, logger),
  };
}
