// Real OpenTelemetry SDK pieces for tests that check spans and trace propagation.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

export interface TestTracing {
  exporter: InMemorySpanExporter;
  provider: TracerProvider;
  shutdown(): Promise<void>;
}

export function installTestTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    exporter,
    provider,
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** `00-<traceId>-<spanId>-<flags>` → its parts. */
export function parseTraceparent(tp: string): { traceId: string; spanId: string } {
  const [, traceId, spanId] = tp.split('-');
  return { traceId: traceId!, spanId: spanId! };
}
