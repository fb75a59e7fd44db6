import type { Authenticator } from '../../../app/authenticate';
import type { LoginThrottleOptions } from '../../../app/login-throttle';
import type {
  AttachmentPort,
  DirectoryPort,
  IdentityPort,
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
  authenticator: Authenticator;
  loginCounter: WindowCounter;
  loginThrottle: LoginThrottleOptions;
  /** Submissions of the public contact form per client IP in an hour. */
  publicFormPerHour: number;
}
