import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBody } from './error-handler';

// What Node's HTTP parser refuses before Express sees a request (a request line or headers over
// --max-http-header-size, a malformed request), answered like every other error:
// `{"error": {"code", "message"}}` instead of Node's bare status line.
const ANSWERS: Record<string, { status: number; reason: string; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    code: 'HEADERS_TOO_LARGE',
    message: 'Request line or headers are too large',
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: 413,
    reason: 'Payload Too Large',
    code: 'PAYLOAD_TOO_LARGE',
    message: 'Chunk extensions are too large',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    code: 'REQUEST_TIMEOUT',
    message: 'The request took too long to arrive',
  },
};
const MALFORMED = {
  status: 400,
  reason: 'Bad Request',
  code: 'INVALID_ARGUMENT',
  message: 'Malformed HTTP request',
};

/** The raw HTTP answer for a parser error (exported for its spec). */
export function clientErrorResponse(code: string | undefined): string {
  const answer = (code && ANSWERS[code]) || MALFORMED;
  const body: ErrorBody = { error: { code: answer.code, message: answer.message } };
  const json = JSON.stringify(body);
  return (
    `HTTP/1.1 ${answer.status} ${answer.reason}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(json)}\r\n` +
    'Connection: close\r\n\r\n' +
    json
  );
}

/** Answers the HTTP parser's errors in the error shape; as Node does, only while no answer is under way. */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code !== 'ECONNRESET' && socket.writable && !inFlight?.headersSent) {
      socket.end(clientErrorResponse(err.code));
    }
    socket.destroy();
  });
}
