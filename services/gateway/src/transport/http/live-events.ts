// GET /events and GET /portal/events (SPEC §6): Server-Sent Events fed by the replica's live feed. Mounted before
// admission control: a stream is open for minutes and would hold an API slot the whole time; the streams have
// their own bound (SSE_MAX_CLIENTS).
import type { Request, Response, Router } from 'express';
import express from 'express';
import type { Logger } from '@helpdesk/platform';
import { bearerToken, type Authenticator } from '../../app/authenticate';
import { GatewayError } from '../../app/errors';
import {
  formatEventId,
  messageFor,
  parseEventId,
  viewerAfter,
  type LiveAudience,
  type LiveEvent,
  type StreamPosition,
} from '../../app/live-events';
import type { DirectoryPort } from '../../app/ports';
import type { LiveFeed } from '../../infra/live-feed.nats';
import { toNotificationDto } from './mappers/notification.mapper';
import './request-context';

export interface LiveEventsOptions {
  heartbeatMs: number;
  /** Replay reaches back this far at most (SPEC: at least 5 minutes). */
  replayWindowMs: number;
  maxClients: number;
  /** Bytes a client may leave unread in its socket before it is dropped as too slow. */
  maxBufferBytes: number;
  /** Live events held for a client while it replays; past this it is dropped. */
  maxPendingEvents: number;
}

/** Why a stream was ended by the gateway, sent as its last event. */
type DropReason = 'slow_consumer' | 'replay_overflow' | 'shutdown' | 'replay_failed';

// A ticket event's data is the same for every agent of its tenant, and for every contact who may see it: it is
// serialized once per event and audience kind, not once per client (1,000 streams, 1,000 JSON.stringify calls).
const serialized = new WeakMap<LiveEvent, Partial<Record<LiveAudience['kind'], string>>>();

function ticketJson(event: LiveEvent, kind: LiveAudience['kind'], data: unknown): string {
  let byKind = serialized.get(event);
  if (!byKind) {
    byKind = {};
    serialized.set(event, byKind);
  }
  return (byKind[kind] ??= JSON.stringify(data));
}

class SseClient {
  private pending: LiveEvent[] | null = [];
  private closed = false;

  constructor(
    private readonly res: Response,
    private audience: LiveAudience,
    private position: StreamPosition,
    private readonly options: LiveEventsOptions,
    private readonly log: Logger,
    private readonly onClose: (client: SseClient) => void,
  ) {}

  /** A live event: held while replaying, else written when it is this client's and newer than its position. */
  offer(event: LiveEvent): void {
    if (this.closed) return;
    if (this.pending) {
      this.pending.push(event);
      if (this.pending.length > this.options.maxPendingEvents) this.drop('replay_overflow');
      return;
    }
    this.deliver(event);
  }

  /** One event in stream order (replayed or live); older ones than the position are already sent. */
  deliver(event: LiveEvent): void {
    if (this.closed || event.seq <= this.position[event.stream]) return;
    this.position[event.stream] = event.seq;
    this.audience = viewerAfter(event, this.audience);
    const message = messageFor(event, this.audience, toNotificationDto);
    if (!message) return;
    const data =
      message.event === 'ticket'
        ? ticketJson(event, this.audience.kind, message.data)
        : JSON.stringify(message.data);
    this.write(`id: ${formatEventId(this.position)}\nevent: ${message.event}\ndata: ${data}\n\n`);
  }

  /** Ends the replay: the live events held meanwhile follow, each once. */
  goLive(): void {
    const held = this.pending ?? [];
    this.pending = null;
    for (const event of held) this.deliver(event);
  }

  heartbeat(): void {
    if (!this.closed) this.write(': keep-alive\n\n');
  }

  private write(chunk: string): void {
    this.res.write(chunk);
    // bounded per client: what the socket holds unsent is all this client may cost
    if (this.res.writableLength > this.options.maxBufferBytes) this.drop('slow_consumer');
  }

  drop(reason: DropReason): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = null;
    this.log.info({ reason }, 'live event stream ended by the gateway');
    this.res.write(`event: error\ndata: ${JSON.stringify({ reason })}\n\n`);
    this.res.end();
    // a client that reads nothing never lets the end flush
    setTimeout(() => this.res.destroy(), 2_000).unref();
    this.onClose(this);
  }

  gone(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = null;
    this.onClose(this);
  }
}

export interface LiveEvents {
  router: Router;
  /** The feed's callback: every event of both streams. */
  publish(event: LiveEvent): void;
  clients(): number;
  /** Ends every stream (the clients reconnect to another replica with their Last-Event-ID). */
  close(): void;
}

export function liveEvents(deps: {
  feed: () => LiveFeed | undefined;
  authenticator: Authenticator;
  directory: Pick<DirectoryPort, 'getContact'>;
  logger: Logger;
  options: LiveEventsOptions;
}): LiveEvents {
  const { options } = deps;
  const clients = new Set<SseClient>();
  let closing = false;
  const heartbeat = setInterval(() => {
    for (const c of clients) c.heartbeat();
  }, options.heartbeatMs);
  heartbeat.unref();

  async function audienceOf(req: Request, portal: boolean): Promise<LiveAudience> {
    const token = bearerToken(req.get('authorization'));
    if (!token) throw new GatewayError('UNAUTHENTICATED', 'Authorization: Bearer <token> required');
    const principal = await deps.authenticator.authenticate(token);
    req.principal = principal;
    if (portal) {
      if (principal.actor !== 'CONTACT')
        throw new GatewayError(
          'PERMISSION_DENIED',
          'This is the customer portal API; sign in at /portal/auth/login',
        );
      const { contact } = await deps.directory.getContact({
        tenantId: principal.tenantId,
        id: principal.contactId,
      });
      if (!contact || contact.portalAccess === 'none')
        throw new GatewayError('PERMISSION_DENIED', 'Portal access is not enabled for this contact');
      return {
        kind: 'contact',
        tenantId: principal.tenantId,
        viewer: {
          contactId: contact.id,
          clientId: contact.clientId || null,
          portalAccess: contact.portalAccess,
        },
      };
    }
    if (principal.actor === 'CONTACT')
      throw new GatewayError('PERMISSION_DENIED', 'A portal session cannot use the agent API');
    return {
      kind: 'agent',
      tenantId: principal.tenantId,
      userId: principal.actor === 'USER' ? principal.userId : null,
    };
  }

  const handler = (portal: boolean) => async (req: Request, res: Response) => {
    const audience = await audienceOf(req, portal);
    const feed = deps.feed();
    if (closing || !feed?.ready)
      throw new GatewayError('UNAVAILABLE', 'Live events are not available right now; try again shortly');
    if (clients.size >= options.maxClients)
      throw new GatewayError('UNAVAILABLE', 'Too many live event streams on this server; try again shortly');

    const resume = parseEventId(req.get('last-event-id'));
    const position = resume ?? feed.position();
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store, no-transform');
    res.setHeader('Connection', 'keep-alive');
    // proxies (nginx) must pass each event on at once
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);

    const client = new SseClient(res, audience, { ...position }, options, req.log, (c) => clients.delete(c));
    clients.add(client);
    req.on('close', () => client.gone());
    // the id a client without Last-Event-ID starts from, so that even a first reconnect misses nothing
    res.write(`retry: 2000\nid: ${formatEventId(position)}\n: connected\n\n`);
    if (resume) {
      try {
        for (const stream of ['ticket', 'notify'] as const) {
          for await (const event of feed.replay(stream, resume[stream], options.replayWindowMs))
            client.deliver(event);
        }
      } catch (err) {
        req.log.warn({ err }, 'live event replay failed');
        client.drop('replay_failed');
        return;
      }
    }
    client.goLive();
  };

  const router = express.Router();
  router.get('/events', handler(false));
  router.get('/portal/events', handler(true));

  return {
    router,
    publish(event) {
      for (const c of clients) c.offer(event);
    },
    clients: () => clients.size,
    close() {
      closing = true;
      clearInterval(heartbeat);
      for (const c of [...clients]) c.drop('shutdown');
    },
  };
}
