import { conflict } from '@helpdesk/platform';
import { applySettingsPatch, settingsPatchSchema, type TicketSettings } from '../domain/settings';
import type { Clock, SettingsRepository } from './ports';

/** A tenant's ticket settings (types, categories, closed-reply policy, attachment limit): read and change. */
export class TicketSettingsUseCases {
  constructor(private readonly deps: { settings: SettingsRepository; clock: Clock }) {}

  get(tenantId: string): Promise<TicketSettings> {
    return this.deps.settings.get(tenantId);
  }

  async update(tenantId: string, patch: unknown, expectedVersion?: number): Promise<TicketSettings> {
    // a ZodError answers INVALID_ARGUMENT with each field's reason
    const parsed = settingsPatchSchema.parse(patch);
    const current = await this.deps.settings.get(tenantId);
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw conflict(`the settings were changed by someone else (version ${current.version}, not ${expectedVersion})`, {
        currentVersion: current.version,
      });
    }
    const next = applySettingsPatch(current, parsed);
    if (!(await this.deps.settings.save(tenantId, next, current.version, this.deps.clock.now()))) {
      throw conflict('the settings were changed by someone else; read them again and retry');
    }
    return next;
  }
}
