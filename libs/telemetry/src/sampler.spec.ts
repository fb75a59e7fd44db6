import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { samplerFor } from './sdk';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const decide = (name: Parameters<typeof samplerFor>[0], ratio: number, parentSampled?: boolean) => {
  const ctx =
    parentSampled === undefined
      ? ROOT_CONTEXT
      : trace.setSpanContext(ROOT_CONTEXT, {
          traceId: TRACE_ID,
          spanId: 'b7ad6b7169203331',
          traceFlags: parentSampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
          isRemote: true,
        });
  return samplerFor(name, ratio).shouldSample(ctx, TRACE_ID, 'span', SpanKind.SERVER, {}, []).decision;
};

describe('samplerFor (OTEL_TRACES_SAMPLER)', () => {
  it('samples every new trace by default and none with always_off', () => {
    expect(decide('parentbased_always_on', 1)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide('always_off', 1)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide('parentbased_always_off', 1)).toBe(SamplingDecision.NOT_RECORD);
  });

  it('keeps the ratio of new traces by their trace id', () => {
    expect(decide('traceidratio', 0)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide('traceidratio', 1)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    // 2000 trace ids spread over the 32-bit range the ratio sampler reads (Knuth's multiplicative hash)
    const ids = Array.from(
      { length: 2000 },
      (_, i) => `${((i * 2654435761) % 2 ** 32).toString(16).padStart(8, '0')}${'0'.repeat(24)}`,
    );
    const sampler = samplerFor('parentbased_traceidratio', 0.1);
    const kept = ids.filter(
      (id) =>
        sampler.shouldSample(ROOT_CONTEXT, id, 'span', SpanKind.SERVER, {}, []).decision ===
        SamplingDecision.RECORD_AND_SAMPLED,
    ).length;
    expect(kept / ids.length).toBeGreaterThan(0.05);
    expect(kept / ids.length).toBeLessThan(0.15);
  });

  it('follows the caller in the parent-based samplers, whatever the ratio', () => {
    expect(decide('parentbased_traceidratio', 0, true)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide('parentbased_traceidratio', 1, false)).toBe(SamplingDecision.NOT_RECORD);
    // the plain ratio sampler ignores the caller
    expect(decide('traceidratio', 0, true)).toBe(SamplingDecision.NOT_RECORD);
  });
});
