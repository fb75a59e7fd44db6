import type { Clock, TimerStatus, TimeReader } from './ports';
import { timerStatus } from './support';

export interface GetRunningTimerQuery {
  tenantId: string;
  userId: string;
}

/** The user's running timer as of now (flagged once it has run over 12 hours), or null. */
export class GetRunningTimerUseCase {
  constructor(
    private readonly reader: TimeReader,
    private readonly clock: Clock,
  ) {}

  async execute(query: GetRunningTimerQuery): Promise<TimerStatus | null> {
    const timer = await this.reader.findTimer(query.tenantId, query.userId);
    return timer ? timerStatus(timer, this.clock.now()) : null;
  }
}
