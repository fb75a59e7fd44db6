/**
 * The value of the first series of `name` in a Prometheus text exposition whose labels include all of `labels`;
 * undefined when there is none.
 */
export function promSample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find(
      (l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && wanted.every((w) => l.includes(w)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** GET `/metrics` of a health port; throws unless it answers 200. */
export async function scrapeMetrics(port: number, host = '127.0.0.1'): Promise<string> {
  const res = await fetch(`http://${host}:${port}/metrics`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`/metrics on port ${port} answered ${res.status}`);
  return text;
}
