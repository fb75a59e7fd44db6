import type { Authenticator } from '../../../app/authenticate';
import type { LoginThrottleOptions } from '../../../app/login-throttle';
import type {
  DirectoryPort,
  IdentityPort,
  TicketPort,
  TimekeepingPort,
  WindowCounter,
} from '../../../app/ports';

export interface RouteDeps {
  identity: IdentityPort;
  tickets: TicketPort;
  directory: DirectoryPort;
  timekeeping: TimekeepingPort;
  authenticator: Authenticator;
  loginCounter: WindowCounter;
  loginThrottle: LoginThrottleOptions;
}
