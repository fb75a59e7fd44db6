import type { Authenticator } from '../../../app/authenticate';
import type { LoginThrottleOptions } from '../../../app/login-throttle';
import type { DirectoryPort, IdentityPort, SlaPort, TicketPort, WindowCounter } from '../../../app/ports';

export interface RouteDeps {
  identity: IdentityPort;
  tickets: TicketPort;
  directory: DirectoryPort;
  sla: SlaPort;
  authenticator: Authenticator;
  loginCounter: WindowCounter;
  loginThrottle: LoginThrottleOptions;
}
