import type { IncomingMessage, ServerResponse } from 'node:http';
import { metrics, type Meter, type MeterProvider } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { createAllowListAttributesProcessor, type ViewOptions } from '@opentelemetry/sdk-metrics';

/** Serves the Prometheus text format of every instrument of the process (`GET /metrics`). */
export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Bucket bounds in seconds for request and processing durations (the HTTP instrumentation's own advice). */
export const DURATION_BUCKETS_S: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

let exporter: PrometheusExporter | undefined;

/** The reader startTelemetry() registers: no server of its own, its handler is mounted on the health port. */
export function createPrometheusReader(): PrometheusExporter {
  exporter = new PrometheusExporter({
    preventServerStart: true,
    // `service_name` on every series: several services' metrics stay apart whatever the scrape config names a job
    withResourceConstantLabels: /^service\.name$/,
  });
  return exporter;
}

/** Forgets the reader on shutdown. */
export function clearPrometheusReader(): void {
  exporter = undefined;
}

/** The `/metrics` handler of the running telemetry; undefined when metrics are off or telemetry never started. */
export function metricsHandler(): MetricsHandler | undefined {
  const current = exporter;
  return current ? (req, res) => current.getMetricsRequestHandler(req, res) : undefined;
}

/**
 * Views that keep label values bounded and free of customer data: an outgoing HTTP call (a webhook to a
 * customer's URL) keeps its method, status and error type, never the host or port it went to.
 */
export function metricViews(): ViewOptions[] {
  return [
    {
      instrumentName: 'http.client.request.duration',
      attributesProcessors: [
        createAllowListAttributesProcessor([
          'http.request.method',
          'http.response.status_code',
          'error.type',
        ]),
      ],
    },
  ];
}

/**
 * Instruments of a library or service part (`@helpdesk/bus`, `mail-ingest`), built by `build` on first use and
 * again if the global meter provider changes. The metrics API has no proxy provider: an instrument created before
 * startTelemetry() would stay a no-op forever, so none may be created at import time.
 */
export function lazyInstruments<T>(name: string, build: (meter: Meter) => T): () => T {
  let provider: MeterProvider | undefined;
  let built: T | undefined;
  return () => {
    const current = metrics.getMeterProvider();
    if (built === undefined || provider !== current) {
      provider = current;
      built = build(current.getMeter(name));
    }
    return built;
  };
}
