import { createNoopMeter } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NoopSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { clearPrometheusReader, createPrometheusReader, metricViews } from './metrics';

export interface TelemetryOptions {
  serviceName: string;
  /** OTLP/HTTP base URL (e.g. `http://otel-collector:4318`); traces go to `${otlpEndpoint}/v1/traces`. */
  otlpEndpoint?: string;
  /** Prometheus metrics for `/metrics` on the health port (default on); off, every instrument is a no-op. */
  metrics?: boolean;
  /** `OTEL_TRACES_SAMPLER` and its `OTEL_TRACES_SAMPLER_ARG` ratio (default `parentbased_always_on`). */
  sampler?: { name: SamplerName; ratio?: number };
}

/** The values of the SDK's standard `OTEL_TRACES_SAMPLER` variable (commonEnv checks them). */
export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

/** The sampler the OTel specification names `name`: a parent-based one follows the caller's sampling decision. */
export function samplerFor(name: SamplerName, ratio = 1): Sampler {
  const roots: Record<string, () => Sampler> = {
    always_on: () => new AlwaysOnSampler(),
    always_off: () => new AlwaysOffSampler(),
    traceidratio: () => new TraceIdRatioBasedSampler(ratio),
  };
  const parentBased = name.startsWith('parentbased_');
  const root = roots[parentBased ? name.slice('parentbased_'.length) : name]!();
  return parentBased ? new ParentBasedSampler({ root }) : root;
}

export interface Telemetry {
  /** Flushes pending spans and stops the SDK. */
  shutdown(): Promise<void>;
}

// Probes and scrapes every few seconds would drown real traffic in traces and in the request metrics.
const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

let running: Telemetry | undefined;

const requestTenants = new WeakMap<object, string>();

/** Names the tenant an incoming HTTP request acted for: `tenant.id` on its server span when the answer is sent. */
export function setRequestTenant(request: object, tenantId: string): void {
  requestTenants.set(request, tenantId);
}

/**
 * Starts OpenTelemetry (call first, from `src/instrumentation.ts`, before http/grpc/pg are loaded).
 * Without an endpoint spans are still created (trace ids in logs, traceparents propagate) but not exported.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (running) return running;
  const { serviceName, otlpEndpoint, metrics = true } = options;
  const sampler = samplerFor(options.sampler?.name ?? 'parentbased_always_on', options.sampler?.ratio ?? 1);
  const spanProcessor: SpanProcessor = otlpEndpoint
    ? new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${otlpEndpoint.replace(/\/+$/, '')}/v1/traces` }),
        // Short delay so spans show up quickly in local runs and tests.
        scheduledDelayMillis: 500,
      })
    : new NoopSpanProcessor();

  // Only queries inside a request/message span; pollers (outbox relay) would otherwise emit orphan traces.
  // Pool checkouts are not traced (one span per query is enough to read a request's database time).
  const pg = new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true });
  const sdk = new NodeSDK({
    serviceName,
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    textMapPropagator: new W3CTraceContextPropagator(),
    sampler,
    spanProcessors: [spanProcessor],
    // Only our reader, so OTEL_* defaults never start OTLP metric exporters we did not ask for.
    metricReaders: metrics ? [createPrometheusReader()] : [],
    views: metricViews(),
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => PROBE_PATHS.has((req.url ?? '').split('?')[0] ?? ''),
        // the server span is not the active one in a route's handlers (Express' request-handler spans are)
        applyCustomAttributesOnSpan: (span, request) => {
          const tenantId = requestTenants.get(request);
          if (tenantId) span.setAttribute('tenant.id', tenantId);
        },
      }),
      // Route handlers only: a span per middleware (auth, body parser, rate limit...) costs CPU on every request
      // and says little; their time still shows inside the HTTP server span.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      new GrpcInstrumentation({ ignoreGrpcMethods: ['Check', 'Watch'] }),
      pg,
    ],
  });
  sdk.start();
  // The pg instrumentation's own metrics are off: a histogram per query and three counters moved on every pool
  // checkout and release, each hashing its labels on the hot path, where libs/runtime observes the same pool
  // gauges (db.client.connection.*) only when scraped, and a query's time is in its span.
  pg.setMeterProvider({ getMeter: () => createNoopMeter() });

  let stopping: Promise<void> | undefined;
  running = {
    shutdown: () => {
      stopping ??= sdk.shutdown().finally(() => {
        running = undefined;
        clearPrometheusReader();
      });
      return stopping;
    },
  };
  return running;
}

/** The telemetry variables of commonEnv (libs/platform), as a service's config.ts has parsed them. */
export interface TelemetryConfig {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_TRACES_SAMPLER: SamplerName;
  OTEL_TRACES_SAMPLER_ARG: number;
  METRICS_ENABLED: boolean;
}

/**
 * startTelemetry() for a service's `src/instrumentation.ts` with what `load` (its config.ts) reads. An invalid
 * configuration starts the defaults here: main.ts loads it again and reports every invalid variable as a fatal log line.
 */
export function startServiceTelemetry(serviceName: string, load: () => TelemetryConfig): Telemetry {
  let config: TelemetryConfig | undefined;
  try {
    config = load();
  } catch {
    config = undefined;
  }
  return startTelemetry({
    serviceName,
    ...(config?.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
    ...(config
      ? {
          metrics: config.METRICS_ENABLED,
          sampler: { name: config.OTEL_TRACES_SAMPLER, ratio: config.OTEL_TRACES_SAMPLER_ARG },
        }
      : {}),
  });
}
