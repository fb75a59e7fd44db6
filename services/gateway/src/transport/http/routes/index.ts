import type { AnyRoute } from '../route';
import { apiKeyRoutes } from './api-keys.routes';
import { authRoutes } from './auth.routes';
import { automationRoutes } from './automation.routes';
import { clientRoutes, contactRoutes } from './directory.routes';
import { mailRoutes } from './mail.routes';
import { meRoutes } from './me.routes';
import { notificationRoutes } from './notifications.routes';
import { portalRoutes, publicRoutes } from './portal.routes';
import { reportRoutes } from './reports.routes';
import type { RouteDeps } from './route-deps';
import { calendarRoutes, slaPolicyRoutes, ticketSlaRoutes } from './sla.routes';
import { teamRoutes } from './teams.routes';
import { templateRoutes } from './templates.routes';
import { tenantRoutes } from './tenants.routes';
import { timeEntryRoutes, timeReportRoutes, timerRoutes } from './time.routes';
import { ticketRoutes } from './tickets.routes';
import { userRoutes } from './users.routes';
import { webhookRoutes } from './webhooks.routes';

export type { RouteDeps } from './route-deps';

/** Every /api/v1 route; served by the router and described by the OpenAPI document. */
export function apiRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    ...authRoutes(deps),
    ...meRoutes(deps),
    ...notificationRoutes(deps),
    ...ticketRoutes(deps),
    ...templateRoutes(deps),
    ...portalRoutes(deps),
    ...publicRoutes(deps),
    ...ticketSlaRoutes(deps),
    ...clientRoutes(deps),
    ...contactRoutes(deps),
    ...calendarRoutes(deps),
    ...slaPolicyRoutes(deps),
    ...userRoutes(deps),
    ...teamRoutes(deps),
    ...apiKeyRoutes(deps),
    ...tenantRoutes(deps),
    ...timerRoutes(deps),
    ...timeEntryRoutes(deps),
    ...timeReportRoutes(deps),
    ...mailRoutes(deps),
    ...automationRoutes(deps),
    ...webhookRoutes(deps),
    ...reportRoutes(deps),
  ];
}
