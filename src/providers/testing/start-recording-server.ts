import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the upstream saw it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, exactly as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Resolves when the request's connection or response closes (a cancelled call shows up here). */
  closed: Promise<void>;
}

export type TestHandler = (request: RecordedRequest, response: ServerResponse, incoming: IncomingMessage) => void;

export interface RecordingServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: RecordedRequest[];
  /** Replaces the handler for the requests that follow. */
  handle(handler: TestHandler): void;
  /** Resolves with the next request to arrive (or the first one already recorded and not yet taken). */
  nextRequest(): Promise<RecordedRequest>;
  close(): Promise<void>;
}

/** A stand-in upstream on 127.0.0.1 with an ephemeral port, recording each request with its body. */
export const startRecordingServer = async (initialHandler?: TestHandler): Promise<RecordingServer> => {
  let handler: TestHandler = initialHandler ?? ((_request, response) => response.end('{}'));
  const requests: RecordedRequest[] = [];
  const waiting: Array<(request: RecordedRequest) => void> = [];
  let taken = 0;
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const closed = new Promise<void>((resolve) => response.once('close', () => resolve()));
      const request: RecordedRequest = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        closed,
      };
      requests.push(request);
      const waiter = waiting.shift();
      if (waiter !== undefined) {
        taken++;
        waiter(request);
      }
      handler(request, response, incoming);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      handler = next;
    },
    nextRequest() {
      const recorded = requests[taken];
      if (recorded !== undefined) {
        taken++;
        return Promise.resolve(recorded);
      }
      return new Promise((resolve) => waiting.push(resolve));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error))));
    },
  };
};

/** Replies with a JSON body. */
export const replyJson = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
};
