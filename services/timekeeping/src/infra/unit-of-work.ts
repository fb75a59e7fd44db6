import { createEnvelope, enqueueEvent } from '@helpdesk/bus';
import {
  TimerAlreadyRunningError,
  type TicketTimeState,
  type TimeEvent,
  type TimeTransaction,
  type UnitOfWork,
} from '../app/ports';
import type { TicketInfo, TimeEntry } from '../domain/entry';
import type { TimeSettings } from '../domain/settings';
import type { RunningTimer } from '../domain/timer';
import { timeEventData } from '../transport/time.mapper';
import { Prisma, type PrismaClient } from './prisma/generated/client';
import { toEntry, toTicketInfo, toTimer } from './rows';

/** Writes through one Prisma interactive transaction; events go to the outbox table in it. */
class PrismaTimeTransaction implements TimeTransaction {
  constructor(private readonly tx: Prisma.TransactionClient) {}

  async lockTickets(tenantId: string, ids: string[]): Promise<Map<string, TicketInfo>> {
    const found = new Map<string, TicketInfo>();
    // one at a time in id order: every transaction takes ticket locks in the same order
    for (const id of [...new Set(ids)].sort()) {
      await this.tx
        .$queryRaw`SELECT 1 FROM tickets WHERE tenant_id = ${tenantId}::uuid AND id = ${id}::uuid FOR UPDATE`;
      const row = await this.tx.trackedTicket.findUnique({ where: { tenantId_id: { tenantId, id } } });
      if (row) found.set(id, toTicketInfo(row));
    }
    return found;
  }

  async nextTicketState(tenantId: string, ticketId: string): Promise<TicketTimeState> {
    const { timeSequence } = await this.tx.trackedTicket.update({
      where: { tenantId_id: { tenantId, id: ticketId } },
      data: { timeSequence: { increment: 1 } },
      select: { timeSequence: true },
    });
    const total = await this.tx.timeEntry.aggregate({
      where: { tenantId, ticketId },
      _sum: { durationMinutes: true },
    });
    return { sequence: timeSequence, totalMinutes: total._sum.durationMinutes ?? 0 };
  }

  async findTimerForUpdate(tenantId: string, userId: string): Promise<RunningTimer | null> {
    // Serializes the timer commands of one user until commit, also while the user has no timer (no row to lock
    // yet); the primary key stays the guarantee should anything bypass this.
    await this.tx
      .$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`timer:${tenantId}:${userId}`}, 0))`;
    const row = await this.tx.runningTimer.findUnique({ where: { tenantId_userId: { tenantId, userId } } });
    return row ? toTimer(row) : null;
  }

  async insertTimer(timer: RunningTimer): Promise<void> {
    try {
      await this.tx.runningTimer.create({ data: toTimer(timer) });
    } catch (err) {
      // the primary key (tenant, user): another start of this user's timer committed first
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        throw new TimerAlreadyRunningError();
      }
      throw err;
    }
  }

  async deleteTimer(timer: RunningTimer): Promise<void> {
    await this.tx.runningTimer.delete({
      where: { tenantId_userId: { tenantId: timer.tenantId, userId: timer.userId } },
    });
  }

  async findEntryForUpdate(tenantId: string, id: string): Promise<TimeEntry | null> {
    await this.tx
      .$queryRaw`SELECT 1 FROM time_entries WHERE tenant_id = ${tenantId}::uuid AND id = ${id}::uuid FOR UPDATE`;
    const row = await this.tx.timeEntry.findFirst({ where: { tenantId, id } });
    return row ? toEntry(row) : null;
  }

  async insertEntry(entry: TimeEntry): Promise<void> {
    await this.tx.timeEntry.create({ data: toEntry(entry) });
  }

  async updateEntry(entry: TimeEntry): Promise<void> {
    await this.tx.timeEntry.update({ where: { id: entry.id }, data: toEntry(entry) });
  }

  async deleteEntry(entry: TimeEntry): Promise<void> {
    await this.tx.timeEntry.delete({ where: { id: entry.id } });
  }

  async saveSettings(settings: TimeSettings, previousVersion: number): Promise<boolean> {
    const data = {
      roundingMinutes: settings.rounding.minutes,
      roundingMode: settings.rounding.mode,
      updatedAt: settings.updatedAt ?? new Date(),
      version: settings.version,
    };
    if (previousVersion === 0) {
      const inserted = await this.tx.timeSettings.createMany({
        data: [{ tenantId: settings.tenantId, ...data }],
        skipDuplicates: true,
      });
      return inserted.count === 1;
    }
    const updated = await this.tx.timeSettings.updateMany({
      where: { tenantId: settings.tenantId, version: previousVersion },
      data,
    });
    return updated.count === 1;
  }

  async enqueue(event: TimeEvent): Promise<void> {
    await enqueueEvent(
      this.tx,
      createEnvelope({ type: event.type, tenantId: event.tenantId, data: timeEventData(event) }),
    );
  }
}

/** One Prisma interactive transaction: entries, timers, ticket sequences and events commit together. */
export class PrismaUnitOfWork implements UnitOfWork {
  constructor(private readonly prisma: PrismaClient) {}

  run<T>(work: (tx: TimeTransaction) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => work(new PrismaTimeTransaction(tx)));
  }
}
