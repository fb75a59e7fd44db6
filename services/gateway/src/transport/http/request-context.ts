import type { Logger } from '@helpdesk/platform';
import type { Principal } from '../../app/principal';

// What the gateway's middleware attaches to every request.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      requestId: string;
      log: Logger;
      principal?: Principal;
    }
  }
}

export {};
