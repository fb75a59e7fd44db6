import { conflict, permissionDenied } from '@helpdesk/platform';
import { checkRoundingRule, type RoundingMode } from '../domain/rounding';
import type { TimeSettings } from '../domain/settings';
import type { Clock, TimeReader, UnitOfWork } from './ports';
import { checkVersion, ruled, type Caller } from './support';

export class GetTimeSettingsUseCase {
  constructor(private readonly reader: TimeReader) {}

  execute(query: { tenantId: string }): Promise<TimeSettings> {
    return this.reader.settings(query.tenantId);
  }
}

export interface UpdateTimeSettingsCommand {
  tenantId: string;
  caller: Caller;
  roundingMinutes?: number | undefined;
  roundingMode?: RoundingMode | undefined;
  expectedVersion?: number | undefined;
}

/** Changes the tenant's billable rounding (admins only); applies to every report from then on. */
export class UpdateTimeSettingsUseCase {
  constructor(private readonly deps: { reader: TimeReader; uow: UnitOfWork; clock: Clock }) {}

  async execute(command: UpdateTimeSettingsCommand): Promise<TimeSettings> {
    if (!command.caller.admin) throw permissionDenied('Only tenant admins can change time settings');
    const current = await this.deps.reader.settings(command.tenantId);
    checkVersion('The time settings', command.expectedVersion, current.version);
    const rounding = ruled(() =>
      checkRoundingRule({
        minutes: command.roundingMinutes ?? current.rounding.minutes,
        mode: command.roundingMode ?? current.rounding.mode,
      }),
    );
    const next: TimeSettings = {
      tenantId: command.tenantId,
      rounding,
      version: current.version + 1,
      updatedAt: this.deps.clock.now(),
    };
    const saved = await this.deps.uow.run((tx) => tx.saveSettings(next, current.version));
    if (!saved) throw conflict('The time settings were changed by someone else; read them again and retry');
    return next;
  }
}
