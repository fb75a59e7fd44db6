import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  AlwaysOnSampler,
  BatchSpanProcessor,
  NoopSpanProcessor,
  ParentBasedSampler,
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
}

export interface Telemetry {
  /** Flushes pending spans and stops the SDK. */
  shutdown(): Promise<void>;
}

// Probes and scrapes every few seconds would drown real traffic in traces and in the request metrics.
const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

let running: Telemetry | undefined;

/**
 * Starts OpenTelemetry (call first, from `src/instrumentation.ts`, before http/grpc/pg are loaded).
 * Without an endpoint spans are still created (trace ids in logs, traceparents propagate) but not exported.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (running) return running;
  const { serviceName, otlpEndpoint, metrics = true } = options;
  const spanProcessor: SpanProcessor = otlpEndpoint
    ? new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${otlpEndpoint.replace(/\/+$/, '')}/v1/traces` }),
        // Short delay so spans show up quickly in local runs and tests.
        scheduledDelayMillis: 500,
      })
    : new NoopSpanProcessor();

  const sdk = new NodeSDK({
    serviceName,
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    textMapPropagator: new W3CTraceContextPropagator(),
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: [spanProcessor],
    // Only our reader, so OTEL_* defaults never start OTLP metric exporters we did not ask for.
    metricReaders: metrics ? [createPrometheusReader()] : [],
    views: metricViews(),
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => PROBE_PATHS.has((req.url ?? '').split('?')[0] ?? ''),
      }),
      // Route handlers only: a span per middleware (auth, body parser, rate limit...) costs CPU on every request
      // and says little; their time still shows inside the HTTP server span.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      new GrpcInstrumentation({ ignoreGrpcMethods: ['Check', 'Watch'] }),
      // Only queries inside a request/message span; pollers (outbox relay) would otherwise emit orphan traces.
      // Pool checkouts are not traced (one span per query is enough to read a request's database time).
      new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
    ],
  });
  sdk.start();

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
