// Composition of the automation service on the shared runtime: rules, the engine consuming ticket and SLA events,
// the action worker applying fired runs through the owning services, the run log's retention, gRPC.
// main.ts runs it as a process; integration tests run it in-process on port 0.
import { randomUUID } from 'node:crypto';
import type { RunningConsumer } from '@helpdesk/bus';
import { automationV1 } from '@helpdesk/contracts';
import {
  DueTimer,
  PgListener,
  observeDueTimers,
  runService,
  type RunningService,
  type RuntimeOptions,
} from '@helpdesk/runtime';
import { ApplyActionsUseCase } from './app/apply-actions.use-case';
import { DryRunUseCase } from './app/dry-run.use-case';
import { EvaluateEventUseCase } from './app/evaluate-event.use-case';
import type { BusinessTime, Clock, TeamDirectory, TicketCommands, WebhookDeliveries } from './app/ports';
import { FireSchedulesUseCase, FollowTenantZoneUseCase } from './app/schedules.use-cases';
import { ArmTimersUseCase, FireTimersUseCase } from './app/time-rules.use-cases';
import { GrpcBusinessTime } from './infra/business-time.grpc';
import { RuleUseCases } from './app/rules.use-cases';
import { SeedDefaultsUseCase } from './app/seed-defaults.use-case';
import type { AutomationConfig } from './config';
import { ActionWorker } from './infra/action-worker';
import {
  PgEngineUnitOfWork,
  PgRoundRobinStore,
  PgRuleRepository,
  PgRunRepository,
  TIMERS_CHANNEL,
} from './infra/pg-store';
import { GrpcTeamDirectory, GrpcTicketCommands } from './infra/ticket-commands.grpc';
import { GrpcWebhookDeliveries } from './infra/webhooks.grpc';
import { automationHandlers } from './transport/grpc/automation.handlers';
import { startSlaRulesConsumer, startTicketRulesConsumer } from './transport/nats/rule-events.consumer';
import { startTenantEventsConsumer, startTenantZoneConsumer } from './transport/nats/tenant-events.consumer';

export interface AutomationServiceOptions extends RuntimeOptions {
  /** Other ticket and identity adapters (tests); by default the gRPC clients of TICKET_GRPC_URL, IDENTITY_GRPC_URL. */
  tickets?: TicketCommands;
  teams?: TeamDirectory;
  business?: BusinessTime;
  /** Another webhook adapter (tests); by default the gRPC client of NOTIFICATION_GRPC_URL. */
  webhooks?: WebhookDeliveries;
  /** A test clock: what rules, runs, timers and schedules take as now (the loops still wake on real time). */
  clock?: Clock;
}

export type RunningAutomationService = RunningService<
  undefined,
  {
    rules: RuleUseCases;
    runs: PgRunRepository;
    consumers: RunningConsumer[];
    /** Runs one action round now (tests). */
    applyNow(): Promise<number>;
    /** Fires the schedules due by the clock now (tests). */
    fireSchedulesNow(): Promise<{ timers: number; fired: number }>;
  }
>;

const RETENTION_EVERY_MS = 3_600_000;

export function buildAutomationService(
  config: AutomationConfig,
  options: AutomationServiceOptions = {},
): Promise<RunningAutomationService> {
  return runService(
    {
      name: 'automation',
      config,
      // the worker's claims and round robins beside the relay's and the consumers' connections
      poolMax: 10,
      streams: ['automation'],
      async compose({ pool, bus, outbox, logger, shutdown }) {
        const unobserveTimers = observeDueTimers(pool, {
          meter: 'automation',
          name: 'helpdesk.automation.timers',
          pendingDescription: 'Armed time-rule timers (a due instant still to come or to fire)',
          table: 'timers',
          column: 'due_at',
        });
        shutdown.onShutdown('timer metrics', async () => unobserveTimers());
        const clock = options.clock ?? { now: () => new Date() };
        const ids = { newId: () => randomUUID() };
        let tickets = options.tickets;
        let teams = options.teams;
        if (!tickets) {
          const client = new GrpcTicketCommands(config.TICKET_GRPC_URL, config.GRPC_DEADLINE_MS);
          shutdown.onShutdown('ticket client', () => client.close());
          tickets = client;
        }
        if (!teams) {
          const client = new GrpcTeamDirectory(config.IDENTITY_GRPC_URL, config.GRPC_DEADLINE_MS);
          shutdown.onShutdown('identity client', () => client.close());
          teams = client;
        }
        let business = options.business;
        if (!business) {
          const client = new GrpcBusinessTime(config.SLA_GRPC_URL, config.GRPC_DEADLINE_MS);
          shutdown.onShutdown('sla client', () => client.close());
          business = client;
        }
        let webhooks = options.webhooks;
        if (!webhooks) {
          const client = new GrpcWebhookDeliveries(config.NOTIFICATION_GRPC_URL, config.GRPC_DEADLINE_MS);
          shutdown.onShutdown('notification client', () => client.close());
          webhooks = client;
        }
        const rulesRepo = new PgRuleRepository(pool);
        const runs = new PgRunRepository(pool);
        const uow = new PgEngineUnitOfWork(pool);
        const rules = new RuleUseCases({ rules: rulesRepo, clock, ids, webhooks });
        const dryRun = new DryRunUseCase({ rules: rulesRepo, tickets, clock });
        const evaluate = new EvaluateEventUseCase({ clock, ids });
        const apply = new ApplyActionsUseCase({
          runs,
          tickets,
          teams,
          roundRobins: new PgRoundRobinStore(pool),
          webhooks,
          outbox,
          clock,
          ids,
          logger,
        });

        const worker = new ActionWorker({
          databaseUrl: config.DATABASE_URL,
          round: (batch) => apply.execute(batch),
          batch: config.AUTOMATION_WORKER_BATCH,
          pollMs: config.AUTOMATION_WORKER_POLL_MS,
          logger,
        });
        shutdown.onShutdown('action worker', () => worker.stop());
        await worker.start();

        const fireTimers = new FireTimersUseCase({ uow, tickets, business, clock, ids });
        const fireSchedules = new FireSchedulesUseCase({ uow, clock, ids });
        // the time rules' timers and the schedules (docs/adr/0030, 0045): one loop wakes both, as they share
        // TIMERS_CHANNEL (NOTIFY from every commit that arms one) and nextDue covers both indexes
        const listener = new PgListener(config.DATABASE_URL, logger);
        const timerLoop = new DueTimer({
          name: 'automation timers',
          listener,
          channel: TIMERS_CHANNEL,
          fire: async (batch) => {
            const timers = await fireTimers.execute(batch);
            const schedules = await fireSchedules.execute(batch);
            // their runs' rule_fired events are in the outbox
            if (timers.fired + schedules.fired > 0) outbox.nudge();
            return {
              rows: Math.max(timers.timers, schedules.timers),
              fired: timers.timers + schedules.timers,
            };
          },
          nextDue: () => uow.nextDue(),
          batchSize: config.AUTOMATION_TIMER_BATCH,
          resyncMs: config.AUTOMATION_TIMER_RESYNC_MS,
          logger,
        });
        shutdown.onShutdown('pg listener', () => listener.stop());
        await listener.start();
        shutdown.onShutdown('timer loop', () => timerLoop.stop());
        await timerLoop.start();
        const timers = new ArmTimersUseCase({ business });

        // the run log keeps 30 days (docs/product/automation.md)
        const purge = async () => {
          try {
            const before = new Date(Date.now() - config.AUTOMATION_RUN_RETENTION_DAYS * 86_400_000);
            const purged = await runs.purge(before);
            if (purged > 0) logger.info({ purged }, 'old automation runs purged');
          } catch (err) {
            logger.warn({ err }, 'automation run purge failed');
          }
        };
        const retention = setInterval(() => void purge(), RETENTION_EVERY_MS);
        retention.unref();
        shutdown.onShutdown('run retention', () => clearInterval(retention));
        void purge();

        const consumers = [
          startTicketRulesConsumer({ bus, pool, uow, evaluate, timers, tickets, logger }),
          startSlaRulesConsumer({ bus, pool, uow, evaluate, timers, tickets, logger }),
          startTenantEventsConsumer({ bus, pool, seed: new SeedDefaultsUseCase({ clock, ids }), logger }),
          startTenantZoneConsumer({ bus, pool, follow: new FollowTenantZoneUseCase({ clock }), logger }),
        ];
        return {
          consumers,
          grpc: [
            {
              definition: automationV1.AutomationServiceService,
              implementation: automationHandlers({ rules, dryRun, runs, logger }),
            },
          ],
          expose: {
            rules,
            runs,
            consumers,
            applyNow: () => apply.execute(config.AUTOMATION_WORKER_BATCH),
            fireSchedulesNow: () => fireSchedules.execute(config.AUTOMATION_TIMER_BATCH),
          },
        };
      },
    },
    options,
  );
}
