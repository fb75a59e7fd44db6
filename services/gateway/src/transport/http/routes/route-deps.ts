import type { Authenticator } from '../../../app/authenticate';
import type { LoginThrottleOptions } from '../../../app/login-throttle';
import type { DirectoryPort, IdentityPort, MailPort, TicketPort, WindowCounter } from '../../../app/ports';

export interface RouteDeps {
  identity: IdentityPort;
  tickets: TicketPort;
  directory: DirectoryPort;
  mail: MailPort;
  /** Largest raw mail POST /inbound/mail takes, e.g. `25mb`. */
  mailMaxBytes: string;
  authenticator: Authenticator;
  loginCounter: WindowCounter;
  loginThrottle: LoginThrottleOptions;
}
