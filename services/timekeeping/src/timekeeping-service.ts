// Composition of the timekeeping service: ticket-event consumer, use cases and gRPC service on the shared
// runtime. main.ts runs it as a process; integration tests run it in-process on port 0.
import { randomUUID } from 'node:crypto';
import type { RunningConsumer } from '@helpdesk/bus';
import { timekeepingV1 } from '@helpdesk/contracts';
import { createPrismaClient } from '@helpdesk/db';
import { runService, type RunningService, type RuntimeOptions } from '@helpdesk/runtime';
import { CreateEntryUseCase } from './app/create-entry.use-case';
import { DeleteEntryUseCase } from './app/delete-entry.use-case';
import { GetEntryUseCase } from './app/get-entry.use-case';
import { GetRunningTimerUseCase } from './app/get-running-timer.use-case';
import { ListEntriesUseCase } from './app/list-entries.use-case';
import type { Clock, OutboxNotifier } from './app/ports';
import { StartTimerUseCase } from './app/start-timer.use-case';
import { StopTimerUseCase } from './app/stop-timer.use-case';
import { TimeReportUseCase } from './app/time-report.use-case';
import { GetTimeSettingsUseCase, UpdateTimeSettingsUseCase } from './app/time-settings.use-case';
import { UpdateEntryUseCase } from './app/update-entry.use-case';
import type { TimekeepingUseCases } from './app/use-cases';
import type { TimekeepingConfig } from './config';
import { PrismaClient } from './infra/prisma/generated/client';
import { PrismaTicketCatalog } from './infra/ticket-catalog';
import { PrismaTimeReader } from './infra/time.repository';
import { PrismaUnitOfWork } from './infra/unit-of-work';
import { timekeepingHandlers } from './transport/grpc/time.handlers';
import { startTicketEventsConsumer } from './transport/nats/ticket-events.consumer';

export type TimekeepingServiceOptions = RuntimeOptions;

export type RunningTimekeepingService = RunningService<
  PrismaClient,
  { ticketEvents: RunningConsumer; useCases: TimekeepingUseCases }
>;

const systemClock: Clock = { now: () => new Date() };

export function buildTimekeepingService(
  config: TimekeepingConfig,
  options: TimekeepingServiceOptions = {},
): Promise<RunningTimekeepingService> {
  return runService(
    {
      name: 'timekeeping',
      config,
      prisma: (url) => createPrismaClient(PrismaClient, url),
      streams: ['time'],
      compose({ prisma, pool, bus, outbox, logger }) {
        const useCases = buildUseCases(prisma, outbox, systemClock);
        const ticketEvents = startTicketEventsConsumer({ bus, pool, logger });
        return {
          consumers: [ticketEvents],
          grpc: [
            {
              definition: timekeepingV1.TimekeepingServiceService,
              implementation: timekeepingHandlers(useCases, logger),
            },
          ],
          expose: { ticketEvents, useCases },
        };
      },
    },
    options,
  );
}

function buildUseCases(prisma: PrismaClient, outbox: OutboxNotifier, clock: Clock): TimekeepingUseCases {
  const reader = new PrismaTimeReader(prisma);
  const uow = new PrismaUnitOfWork(prisma);
  const tickets = new PrismaTicketCatalog(prisma);
  const ids = { newId: () => randomUUID() };
  return {
    startTimer: new StartTimerUseCase({ uow, tickets, outbox, clock, ids }),
    stopTimer: new StopTimerUseCase({ uow, outbox, clock }),
    getRunningTimer: new GetRunningTimerUseCase(reader, clock),
    createEntry: new CreateEntryUseCase({ uow, tickets, outbox, clock, ids }),
    getEntry: new GetEntryUseCase(reader),
    updateEntry: new UpdateEntryUseCase({ uow, outbox, clock }),
    deleteEntry: new DeleteEntryUseCase({ uow, outbox }),
    listEntries: new ListEntriesUseCase(reader),
    timeReport: new TimeReportUseCase(reader),
    getTimeSettings: new GetTimeSettingsUseCase(reader),
    updateTimeSettings: new UpdateTimeSettingsUseCase({ reader, uow, clock }),
  };
}
