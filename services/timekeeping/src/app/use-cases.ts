// Every use case of the service, built once by the composition root.
import type { CreateEntryUseCase } from './create-entry.use-case';
import type { DeleteEntryUseCase } from './delete-entry.use-case';
import type { GetEntryUseCase } from './get-entry.use-case';
import type { GetRunningTimerUseCase } from './get-running-timer.use-case';
import type { ListEntriesUseCase } from './list-entries.use-case';
import type { StartTimerUseCase } from './start-timer.use-case';
import type { StopTimerUseCase } from './stop-timer.use-case';
import type { TimeReportUseCase } from './time-report.use-case';
import type { GetTimeSettingsUseCase, UpdateTimeSettingsUseCase } from './time-settings.use-case';
import type { UpdateEntryUseCase } from './update-entry.use-case';

export interface TimekeepingUseCases {
  startTimer: StartTimerUseCase;
  stopTimer: StopTimerUseCase;
  getRunningTimer: GetRunningTimerUseCase;
  createEntry: CreateEntryUseCase;
  getEntry: GetEntryUseCase;
  updateEntry: UpdateEntryUseCase;
  deleteEntry: DeleteEntryUseCase;
  listEntries: ListEntriesUseCase;
  timeReport: TimeReportUseCase;
  getTimeSettings: GetTimeSettingsUseCase;
  updateTimeSettings: UpdateTimeSettingsUseCase;
}
