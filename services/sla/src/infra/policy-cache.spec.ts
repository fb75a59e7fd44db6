import type { ListenerSubscription } from '@helpdesk/runtime';
import { POLICY_CHANNEL, PolicyCache } from './policy-cache';

const tenant = '00000000-0000-4000-8000-0000000000aa';
const other = '00000000-0000-4000-8000-0000000000bb';

function setup() {
  const subscriptions: ListenerSubscription[] = [];
  const cache = new PolicyCache({ subscribe: (s) => subscriptions.push(s) });
  let loads = 0;
  const load = () => {
    loads += 1;
    return Promise.resolve({ policies: [], calendars: new Map() });
  };
  const notify = (payload: string) =>
    subscriptions.filter((s) => s.channel === POLICY_CHANNEL).forEach((s) => s.onNotify(payload));
  const reconnect = () => subscriptions.forEach((s) => s.onReconnect());
  return { cache, load, loads: () => loads, notify, reconnect };
}

describe('policy cache', () => {
  it('reads a tenant once until a write here or a notification from another replica drops it', async () => {
    const { cache, load, loads, notify } = setup();
    await cache.get(tenant, load);
    await cache.get(tenant, load);
    expect(loads()).toBe(1);
    cache.invalidate(tenant);
    await cache.get(tenant, load);
    expect(loads()).toBe(2);
    await cache.get(other, load);
    notify(tenant);
    await cache.get(tenant, load);
    await cache.get(other, load);
    expect(loads()).toBe(4);
  });

  it('forgets everything after the listener reconnects (notifications may have been missed)', async () => {
    const { cache, load, loads, reconnect } = setup();
    await cache.get(tenant, load);
    reconnect();
    await cache.get(tenant, load);
    expect(loads()).toBe(2);
  });

  it('does not keep a failed read', async () => {
    const { cache, load, loads } = setup();
    await expect(cache.get(tenant, () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    await cache.get(tenant, load);
    expect(loads()).toBe(1);
  });
});
