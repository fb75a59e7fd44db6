// Composition of the reporting service: the read model's consumers, the report use cases and the gRPC service on
// the shared runtime. main.ts runs it as a process; integration tests run it in-process on port 0.
import type { RunningConsumer } from '@helpdesk/bus';
import { reportingV1 } from '@helpdesk/contracts';
import { runService, type RunningService, type RuntimeOptions } from '@helpdesk/runtime';
import { IntakeUseCase } from './app/intake.use-case';
import { OverviewUseCase, SlaReportUseCase } from './app/reports.use-case';
import type { ReportingConfig } from './config';
import { PgAggregateReader } from './infra/aggregate.reader';
import { reportingHandlers, type ReportUseCases } from './transport/grpc/reporting.handlers';
import { startReadModelConsumers } from './transport/nats/read-model.consumers';

export type ReportingServiceOptions = RuntimeOptions;

export type RunningReportingService = RunningService<
  undefined,
  { consumers: RunningConsumer[]; intake: IntakeUseCase; reports: ReportUseCases }
>;

const systemClock = { now: () => new Date() };

export function buildReportingService(
  config: ReportingConfig,
  options: ReportingServiceOptions = {},
): Promise<RunningReportingService> {
  return runService(
    {
      name: 'reporting',
      config,
      // consumes only: no stream of its own, no outbox
      streams: [],
      outbox: false,
      compose({ pool, bus, logger }) {
        const intake = new IntakeUseCase();
        const reader = new PgAggregateReader(pool);
        const reports: ReportUseCases = {
          overview: new OverviewUseCase({ reader, clock: systemClock }),
          slaReport: new SlaReportUseCase({ reader, clock: systemClock }),
        };
        const consumers = startReadModelConsumers({ bus, pool, intake, logger });
        return {
          consumers,
          grpc: [
            {
              definition: reportingV1.ReportingServiceService,
              implementation: reportingHandlers(reports, logger),
            },
          ],
          expose: { consumers, intake, reports },
        };
      },
    },
    options,
  );
}
