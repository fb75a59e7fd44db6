// The part of autocannon 8's programmatic API the benchmarks use (the package ships no types, and
// @types/autocannon describes version 7).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    interface Options {
      url: string;
      method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
      headers?: Record<string, string>;
      body?: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Seconds a request may take before it counts as a timeout (and an error). */
      timeout?: number;
      /** Requests per second over all connections; each connection gets its share per 1 s window. */
      overallRate?: number;
      /**
       * With overallRate, autocannon "corrects" latencies for coordinated omission with an expected interval of
       * ceil(1 / per-connection rate) = 1 ms, which adds a synthetic sample for every millisecond of a response.
       */
      ignoreCoordinatedOmission?: boolean;
      /** A run before the measured one, with its own connections and duration; its figures are discarded. */
      warmup?: { connections?: number; duration?: number };
    }

    /** Percentiles are keyed p50, p90, p97_5, p99, p99_9 ...; latencies are whole milliseconds. */
    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      total?: number;
      p50: number;
      p90: number;
      p97_5: number;
      p99: number;
      p99_9: number;
    }

    interface Result {
      duration: number;
      connections: number;
      /** Socket errors, timeouts included. */
      errors: number;
      timeouts: number;
      /** Responses whose status is not 2xx. */
      non2xx: number;
      '2xx': number;
      statusCodeStats: Record<string, { count: number }>;
      latency: Histogram;
      requests: Histogram & { sent: number };
      throughput: Histogram;
    }

    interface Instance extends EventEmitter, PromiseLike<Result> {
      stop(): void;
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
