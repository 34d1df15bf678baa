import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Answers for what Node's HTTP server handles before Fastify routes a request. Each is the
 * JSON error envelope with an `X-Request-Id`, like every other error of the API.
 */

/** The raw HTTP/1.1 text of an error answer that closes the connection. */
function closingErrorResponse(status: number, reason: string, code: string, message: string, headers: Record<string, string> = {}): string {
  const body = JSON.stringify({ error: { code, message } });
  const lines = [
    `HTTP/1.1 ${status} ${reason}`,
    `X-Request-Id: ${randomUUID()}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/**
 * What Node's HTTP parser refuses before Fastify sees a request: malformed HTTP (400), headers
 * over 16 KiB (431), a request not received within the request or header timeout (408). The
 * connection is closed after the answer.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  const code = error.code;
  if (code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, errorCode, message] =
    code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'headers_too_large', 'The request headers are larger than 16 KiB.']
      : code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'HPE_HEADER_TIMEOUT'
        ? [408, 'Request Timeout', 'request_timeout', 'The request was not received in time.']
        : [400, 'Bad Request', 'bad_request', 'The HTTP request is malformed.'];
  socket.end(closingErrorResponse(status, reason, errorCode, message));
}

/**
 * A `CONNECT` request (Node hands it over as a raw tunnel, and closes it without a word when
 * nobody listens): this server is no proxy — 405, then the connection is closed.
 */
export function answerConnect(_request: IncomingMessage, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(closingErrorResponse(405, 'Method Not Allowed', 'method_not_allowed', 'CONNECT is not supported: this server is not a proxy.'));
}

/**
 * An `Expect` header other than `100-continue` (Node would answer a bare 417): the
 * expectation cannot be met — 417 with the envelope; the request is not processed.
 */
export function answerExpectation(_request: IncomingMessage, response: ServerResponse): void {
  const body = JSON.stringify({
    error: { code: 'expectation_failed', message: 'The Expect header cannot be met: only "Expect: 100-continue" is supported.' },
  });
  response.writeHead(417, {
    'x-request-id': randomUUID(),
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  response.end(body);
}
