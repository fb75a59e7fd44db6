// Domain ↔ the published contract, shared by the gRPC handlers and the events in the outbox.
import { commonV1, timekeepingEventsV1, timekeepingV1 } from '@helpdesk/contracts';
import type { TimerStatus, TimeEvent } from '../app/ports';
import type { EntryView } from '../domain/entry';
import type { RoundingRule } from '../domain/rounding';
import type { TimeSettings } from '../domain/settings';

export function toProtoEntry(entry: EntryView): timekeepingV1.TimeEntry {
  return {
    id: entry.id,
    tenantId: entry.tenantId,
    ticketId: entry.ticketId,
    userId: entry.userId,
    clientId: entry.clientId ?? '',
    startedAt: entry.startedAt,
    endedAt: entry.endedAt,
    durationMinutes: entry.durationMinutes,
    note: entry.note,
    billable: entry.billable,
    workType: entry.workType ?? '',
    flagged: entry.flagged,
    flagReason: entry.flagReason ?? '',
    source: entry.source,
    version: entry.version,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    ticketNumber: entry.ticketNumber,
    ticketTitle: entry.ticketTitle,
  };
}

export function toProtoTimer(timer: TimerStatus): timekeepingV1.Timer {
  return {
    id: timer.id,
    tenantId: timer.tenantId,
    ticketId: timer.ticketId,
    userId: timer.userId,
    clientId: timer.clientId ?? '',
    startedAt: timer.startedAt,
    note: timer.note,
    billable: timer.billable,
    workType: timer.workType ?? '',
    elapsedMinutes: timer.elapsedMinutes,
    flagged: timer.flagged,
    flagReason: timer.flagReason ?? '',
    ticketNumber: timer.ticketNumber,
    ticketTitle: timer.ticketTitle,
  };
}

export function toProtoRounding(rule: RoundingRule): timekeepingV1.Rounding {
  return { minutes: rule.minutes, mode: rule.mode };
}

export function toProtoSettings(settings: TimeSettings): timekeepingV1.TimeSettings {
  return {
    rounding: toProtoRounding(settings.rounding),
    version: settings.version,
    updatedAt: settings.updatedAt ?? undefined,
  };
}

/** The proto JSON `data` of a time event's envelope. */
export function timeEventData(event: TimeEvent): unknown {
  const common = {
    ticketId: event.ticketId,
    ticketTimeSpentMinutes: event.state.totalMinutes,
    sequence: event.state.sequence,
    actor: { type: commonV1.ActorType.ACTOR_TYPE_USER, id: event.actorUserId },
  };
  switch (event.type) {
    case 'helpdesk.time.timer_started':
      return timekeepingEventsV1.TimerStartedEvent.toJSON({ ...common, timer: toProtoTimer(event.timer) });
    case 'helpdesk.time.timer_stopped':
      return timekeepingEventsV1.TimerStoppedEvent.toJSON({ ...common, entry: toProtoEntry(event.entry) });
    case 'helpdesk.time.entry_created':
      return timekeepingEventsV1.EntryCreatedEvent.toJSON({ ...common, entry: toProtoEntry(event.entry) });
    case 'helpdesk.time.entry_updated':
      return timekeepingEventsV1.EntryUpdatedEvent.toJSON({ ...common, entry: toProtoEntry(event.entry) });
    case 'helpdesk.time.entry_deleted':
      return timekeepingEventsV1.EntryDeletedEvent.toJSON({ ...common, entry: toProtoEntry(event.entry) });
  }
}
