// A new tenant gets the default rules of docs/product/automation.md, once: a redelivered or repeated
// `tenant_created` finds them seeded (by their seed keys) and writes nothing.
import { DEFAULT_RULES } from '../domain/default-rules';
import type { Rule } from '../domain/rule';
import type { Clock, IdGenerator } from './ports';

export interface DefaultsWriter {
  /** Writes a default rule unless the tenant has that default already (deleted or not); answers whether it did. */
  seed(rule: Rule, seedKey: string): Promise<boolean>;
}

export class SeedDefaultsUseCase {
  constructor(private readonly deps: { clock: Clock; ids: IdGenerator }) {}

  async execute(writer: DefaultsWriter, tenantId: string): Promise<number> {
    const now = this.deps.clock.now();
    let written = 0;
    for (const { seedKey, ...definition } of DEFAULT_RULES) {
      const rule: Rule = {
        ...definition,
        id: this.deps.ids.newId(),
        tenantId,
        version: 1,
        createdAt: now,
        updatedAt: now,
        stats: { fired: 0, skipped: 0, lastFiredAt: null },
      };
      if (await writer.seed(rule, seedKey)) written += 1;
    }
    return written;
  }
}
