import type { Authenticator } from '../../../app/authenticate';
import type { LoginThrottleOptions } from '../../../app/login-throttle';
import type {
  AttachmentPort,
  AutomationPort,
  DirectoryPort,
  IdentityPort,
  SlaPort,
  MailPort,
  NotificationPort,
  NotificationFeedPort,
  ReportingPort,
  TemplatePort,
  TicketPort,
  TicketSettingsPort,
  TimekeepingPort,
  WebhookPort,
  WindowCounter,
} from '../../../app/ports';

export interface RouteDeps {
  identity: IdentityPort;
  tickets: TicketPort;
  directory: DirectoryPort;
  attachments: AttachmentPort;
  templates: TemplatePort;
  ticketSettings: TicketSettingsPort;
  timekeeping: TimekeepingPort;
  sla: SlaPort;
  mail: MailPort;
  notification: NotificationPort;
  automation: AutomationPort;
  notificationFeed: NotificationFeedPort;
  webhooks: WebhookPort;
  reporting: ReportingPort;
  /** Where the portal is served; sign-in links point at `<portalBaseUrl>/portal/<slug>/verify`. */
  portalBaseUrl: string;
  magicLinkTtlSeconds: number;
  /** Largest raw mail POST /inbound/mail takes, e.g. `25mb`. */
  mailMaxBytes: string;
  authenticator: Authenticator;
  loginCounter: WindowCounter;
  loginThrottle: LoginThrottleOptions;
  /** Submissions of the public contact form per client IP in an hour. */
  publicFormPerHour: number;
}
