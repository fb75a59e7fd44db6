// The baseline of `npm run bench:sse`: a bare node:http server that keeps every `GET /events` socket and, for each
// `POST /change`, answers `{id, updatedAt}` and then writes one SSE event of the gateway's shape to every socket.
// No authentication, bus, JetStream consumer, filtering per audience or back-pressure check: the fan-out alone.
import http from 'node:http';
import { randomUUID } from 'node:crypto';

const port = Number(process.env.PORT ?? 0);
const clients = new Set<http.ServerResponse>();
let seq = 0;

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/readyz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  if (req.method === 'GET' && req.url === '/events') {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    res.write(`retry: 2000\nid: ${seq}.0\n: connected\n\n`);
    clients.add(res);
    req.on('close', () => clients.delete(res));
    return;
  }
  if (req.method === 'POST' && req.url === '/change') {
    req.resume();
    req.on('end', () => {
      const ticket = {
        id: randomUUID(),
        number: 1000 + seq,
        title: 'Printer on floor 2 is offline',
        status: 'open',
        priority: 'high',
        assigneeId: null,
        teamId: null,
        clientId: null,
        updatedAt: new Date().toISOString(),
      };
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id: ticket.id, updatedAt: ticket.updatedAt }));
      seq++;
      const chunk = `id: ${seq}.0\nevent: ticket\ndata: ${JSON.stringify({ type: 'ticket.updated', ticket })}\n\n`;
      for (const c of clients) c.write(chunk);
    });
    return;
  }
  res.writeHead(404).end();
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => {
  for (const c of clients) c.destroy();
  server.close(() => process.exit(0));
});
