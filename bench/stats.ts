// Percentiles and latency lines shared by the benchmarks that time events rather than requests.

/** The q-quantile (0..1) of ascending values, nearest rank; NaN when there are none. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** `label: n …, p50 … ms, p90 … ms, p99 … ms, max … ms` of the values (milliseconds). */
export function latencyLine(label: string, values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const f = (q: number) => percentile(sorted, q).toFixed(0);
  return `${label}: n ${sorted.length}, p50 ${f(0.5)} ms, p90 ${f(0.9)} ms, p99 ${f(0.99)} ms, max ${f(1)} ms`;
}
