import { connect } from 'nats';
import { NATS_URL } from './env';

/** Deletes every JetStream stream of one test run (names starting with `<prefix>_`). */
export async function deletePrefixedStreams(prefix: string, servers = NATS_URL): Promise<void> {
  const nc = await connect({ servers, timeout: 5_000 });
  try {
    const jsm = await nc.jetstreamManager();
    const names: string[] = [];
    for await (const info of jsm.streams.list()) {
      if (info.config.name.startsWith(`${prefix}_`)) names.push(info.config.name);
    }
    for (const name of names) await jsm.streams.delete(name);
  } finally {
    await nc.close();
  }
}
