import type { Authenticator } from '../../../app/authenticate';
import type { LoginThrottleOptions } from '../../../app/login-throttle';
import type {
  AttachmentPort,
  DirectoryPort,
  IdentityPort,
  SlaPort,
  TemplatePort,
  TicketPort,
  TicketSettingsPort,
  TimekeepingPort,
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
  authenticator: Authenticator;
  loginCounter: WindowCounter;
  loginThrottle: LoginThrottleOptions;
  /** Submissions of the public contact form per client IP in an hour. */
  publicFormPerHour: number;
}
