// Every service's manifest (services/<svc>/service.ts), in start order: the one list the launchers, the
// skaffold.yaml generator and the chart checks read. Adding a service adds its line here.
import type { ServiceManifest } from '@helpdesk/platform';
import { automationService } from './automation/service';
import { gatewayService } from './gateway/service';
import { identityService } from './identity/service';
import { mailIngestService } from './mail-ingest/service';
import { notificationService } from './notification/service';
import { reportingService } from './reporting/service';
import { slaService } from './sla/service';
import { ticketService } from './ticket/service';
import { timekeepingService } from './timekeeping/service';

export const SERVICE_MANIFESTS: readonly ServiceManifest[] = [
  identityService,
  ticketService,
  timekeepingService,
  slaService,
  mailIngestService,
  notificationService,
  automationService,
  reportingService,
  gatewayService,
];

/** The manifest of `name`; throws for a service that has none. */
export function manifestOf(name: string): ServiceManifest {
  const manifest = SERVICE_MANIFESTS.find((m) => m.name === name);
  if (!manifest)
    throw new Error(`no service ${name} (services: ${SERVICE_MANIFESTS.map((m) => m.name).join(', ')})`);
  return manifest;
}
