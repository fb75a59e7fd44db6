// Composition of the SLA service on the shared runtime: policy cache, clocks, due timers, consumers, gRPC.
// main.ts runs it as a process; integration tests run it in-process on port 0.
import { randomUUID } from 'node:crypto';
import type { RunningConsumer } from '@helpdesk/bus';
import { slaV1 } from '@helpdesk/contracts';
import { createPrismaClient } from '@helpdesk/db';
import {
  DueTimer,
  PgListener,
  observeDueTimers,
  runService,
  type RunningService,
  type RuntimeOptions,
} from '@helpdesk/runtime';
import { ComputeDueUseCase } from './app/compute-due.use-case';
import { CreateCalendarUseCase } from './app/create-calendar.use-case';
import { CreatePolicyUseCase } from './app/create-policy.use-case';
import { FireDueTimersUseCase } from './app/fire-due-timers.use-case';
import { GetCalendarUseCase } from './app/get-calendar.use-case';
import { GetPolicyUseCase } from './app/get-policy.use-case';
import { ListCalendarsUseCase } from './app/list-calendars.use-case';
import { ListPoliciesUseCase } from './app/list-policies.use-case';
import type { TimeSource } from './app/ports';
import { SeedTenantDefaultsUseCase } from './app/seed-tenant-defaults.use-case';
import { GetTicketSlaUseCase, ResetTicketSlaUseCase } from './app/ticket-sla.use-cases';
import { TrackTicketsUseCase } from './app/track-tickets.use-case';
import { UpdateCalendarUseCase } from './app/update-calendar.use-case';
import { UpdatePolicyUseCase } from './app/update-policy.use-case';
import type { SlaConfig } from './config';
import { PrismaCalendarRepository } from './infra/calendar.repository';
import { DUE_CHANNEL, PgClockUnitOfWork } from './infra/clock-store';
import {
  CacheInvalidatingCalendarRepository,
  CachedPolicyRepository,
  PolicyCache,
} from './infra/policy-cache';
import { PrismaPolicyRepository } from './infra/policy.repository';
import { PrismaClient } from './infra/prisma/generated/client';
import { slaHandlers, type SlaUseCases } from './transport/grpc/sla.handlers';
import { startTenantEventsConsumer } from './transport/nats/tenant-events.consumer';
import { startTicketEventsConsumer } from './transport/nats/ticket-events.consumer';

export type SlaServiceOptions = RuntimeOptions;

export type RunningSlaService = RunningService<
  PrismaClient,
  { useCases: SlaUseCases; consumers: RunningConsumer[] }
>;

const systemClock: TimeSource = { now: () => new Date() };

export function buildSlaService(
  config: SlaConfig,
  options: SlaServiceOptions = {},
): Promise<RunningSlaService> {
  return runService(
    {
      name: 'sla',
      config,
      prisma: (url) => createPrismaClient(PrismaClient, url),
      // the clocks' connections beside the relay's and the two consumers'
      poolMax: config.SLA_DB_POOL_SIZE + 6,
      streams: ['sla'],
      async compose({ prisma, pool, bus, outbox, logger, shutdown }) {
        const unobserveTimers = observeDueTimers(pool, {
          meter: 'sla',
          name: 'helpdesk.sla.timers',
          pendingDescription: 'Tickets with a warning or due instant still to fire',
          table: 'tickets',
          column: 'next_fire_at',
        });
        shutdown.onShutdown('timer metrics', async () => unobserveTimers());
        // notifications between replicas: due instants for the timers, policy changes for the policy cache
        const listener = new PgListener(config.DATABASE_URL, logger);
        const cache = new PolicyCache(listener);
        const ids = { newId: () => randomUUID() };
        const calendars = new CacheInvalidatingCalendarRepository(
          new PrismaCalendarRepository(prisma),
          cache,
        );
        const policies = new CachedPolicyRepository(new PrismaPolicyRepository(prisma), cache);
        const uow = new PgClockUnitOfWork(pool, config.SLA_TIMER_RESYNC_MS);
        const tracker = new TrackTicketsUseCase({ policies, clock: systemClock });
        const getCalendar = new GetCalendarUseCase(calendars);
        const useCases: SlaUseCases = {
          createCalendar: new CreateCalendarUseCase({ calendars, clock: systemClock, ids }),
          getCalendar,
          listCalendars: new ListCalendarsUseCase(calendars),
          updateCalendar: new UpdateCalendarUseCase({ calendars, clock: systemClock }),
          computeDue: new ComputeDueUseCase(getCalendar),
          createPolicy: new CreatePolicyUseCase({ policies, calendars, clock: systemClock, ids }),
          getPolicy: new GetPolicyUseCase(policies),
          listPolicies: new ListPoliciesUseCase(policies),
          updatePolicy: new UpdatePolicyUseCase({ policies, calendars, clock: systemClock }),
          getTicketSla: new GetTicketSlaUseCase(uow),
          resetTicketSla: new ResetTicketSlaUseCase({ uow, policies, tracker, outbox, clock: systemClock }),
        };

        const fire = new FireDueTimersUseCase({ uow, outbox, clock: systemClock });
        const timer = new DueTimer({
          name: 'sla timers',
          listener,
          channel: DUE_CHANNEL,
          fire: async (limit) => {
            const { tickets, events } = await fire.execute(limit);
            return { rows: tickets, fired: events };
          },
          nextDue: () => uow.nextDue(),
          batchSize: config.SLA_TIMER_BATCH,
          resyncMs: config.SLA_TIMER_RESYNC_MS,
          logger,
        });
        shutdown.onShutdown('pg listener', () => listener.stop());
        await listener.start();
        shutdown.onShutdown('sla timers', () => timer.stop());
        await timer.start();

        // started last: a failure above leaves none running that the runtime does not know of
        const consumers = [
          startTenantEventsConsumer({
            bus,
            pool,
            seed: new SeedTenantDefaultsUseCase({ defaults: policies, clock: systemClock, ids }),
            clocks: uow,
            tracker,
            logger,
          }),
          startTicketEventsConsumer({ bus, pool, clocks: uow, tracker, logger }),
        ];

        return {
          consumers,
          grpc: [
            { definition: slaV1.SlaServiceService, implementation: slaHandlers({ ...useCases, logger }) },
          ],
          expose: { useCases, consumers },
        };
      },
    },
    options,
  );
}
