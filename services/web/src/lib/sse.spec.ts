import { createSseParser, reconnectDelayMs, type SseMessage } from './sse';

describe('createSseParser', () => {
  it('reads events split anywhere across chunks, with ids, names and multi-line data', () => {
    const got: SseMessage[] = [];
    const feed = createSseParser((m) => got.push(m));
    const text =
      'id: 1-2\nevent: ticket\ndata: {"a":\ndata: 1}\n\n: keep-alive\n\nevent: notification\ndata: x\r\n\r\n';
    for (const ch of text) feed(ch);
    expect(got).toEqual([
      { id: '1-2', event: 'ticket', data: '{"a":\n1}' },
      // the id is the last one seen, as EventSource keeps it
      { id: '1-2', event: 'notification', data: 'x' },
    ]);
  });

  it('dispatches nothing for comments, empty events or an unfinished event', () => {
    const got: SseMessage[] = [];
    const feed = createSseParser((m) => got.push(m));
    feed(': hello\n\nevent: ticket\n\nretry: 5\n\ndata: half');
    expect(got).toEqual([]);
    feed('\n\n');
    expect(got).toEqual([{ id: undefined, event: 'message', data: 'half' }]);
  });
});

describe('reconnectDelayMs', () => {
  it('doubles from 1 s up to 30 s', () => {
    expect([1, 2, 3, 6, 20].map(reconnectDelayMs)).toEqual([1_000, 2_000, 4_000, 30_000, 30_000]);
  });
});
