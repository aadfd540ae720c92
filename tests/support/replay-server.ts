import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { WebSocketServer, type WebSocket } from 'ws';
import { ROOT } from './processes.js';

/**
 * A real HTTP server on 127.0.0.1 that replays platform payloads, so collectors are tested through
 * the real shared undici client: status codes, headers, gzip, slow answers, dropped connections.
 */
export interface ReplayResponse {
  status?: number;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as is; anything else as JSON. */
  body?: unknown;
  gzip?: boolean;
  /** Wait this long before answering (to test timeouts). */
  delayMs?: number;
  /** Close the socket without an answer (to test network errors). */
  destroy?: boolean;
}

export interface RecordedRequest { method: string; path: string; query: URLSearchParams; headers: IncomingMessage['headers']; body: string }
export type ReplayHandler = (req: RecordedRequest) => ReplayResponse | Promise<ReplayResponse>;
/** Called for each WebSocket connection on a path; `connection` counts from 0 per path. */
export type WebSocketHandler = (socket: WebSocket, req: RecordedRequest, connection: number) => void | Promise<void>;

export interface ReplayServer {
  url: string;
  requests: RecordedRequest[];
  /** Routes match method and path (exact string or RegExp); the newest matching route wins. */
  route(method: string, path: string | RegExp, handler: ReplayHandler | ReplayResponse): void;
  /** WebSocket endpoint (ws://…/path) on the same server; the upgrade request is recorded as a GET. */
  websocket(path: string, onConnection: WebSocketHandler): void;
  /** ws:// form of `url`. */
  wsUrl: string;
  close(): Promise<void>;
}

/** Answers in order; the last answer repeats. */
export function inOrder(...responses: ReplayResponse[]): ReplayHandler {
  let i = 0;
  return () => responses[Math.min(i++, responses.length - 1)]!;
}

export function fixture(kind: string, name: string): string {
  return readFileSync(join(ROOT, 'fixtures', 'sources', kind, name), 'utf8');
}

export async function startReplayServer(): Promise<ReplayServer> {
  const routes: { method: string; path: string | RegExp; handler: ReplayHandler }[] = [];
  const requests: RecordedRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    requests.push(recorded);
    const route = [...routes].reverse().find((r) => r.method === recorded.method && (typeof r.path === 'string' ? r.path === recorded.path : r.path.test(recorded.path)));
    const answer: ReplayResponse = route ? await route.handler(recorded) : { status: 404, body: { error: 'no replay route' } };
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    if (answer.destroy) { req.socket.destroy(); return; }
    let body: Buffer = answer.body === undefined ? Buffer.alloc(0)
      : Buffer.isBuffer(answer.body) ? answer.body
      : typeof answer.body === 'string' ? Buffer.from(answer.body) : Buffer.from(JSON.stringify(answer.body));
    const headers: Record<string, string> = { ...(typeof answer.body === 'object' && !Buffer.isBuffer(answer.body) ? { 'content-type': 'application/json' } : {}), ...answer.headers };
    if (answer.gzip) { body = gzipSync(body); headers['content-encoding'] = 'gzip'; }
    res.writeHead(answer.status ?? 200, headers);
    res.end(body);
  });
  const sockets = new Map<string, { handler: WebSocketHandler; connections: number }>();
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const recorded: RecordedRequest = { method: 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: '' };
    requests.push(recorded);
    const endpoint = sockets.get(url.pathname);
    if (!endpoint) { socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n'); return; }
    const connection = endpoint.connections++;
    wss.handleUpgrade(req, socket, head, (ws) => {
      // A client that hangs up early makes sends fail; that is the client's choice, not a test failure.
      ws.on('error', () => {});
      Promise.resolve(endpoint.handler(ws, recorded, connection)).catch(() => ws.terminate());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    requests,
    route(method, path, handler) {
      routes.push({ method, path, handler: typeof handler === 'function' ? handler : () => handler });
    },
    websocket(path, onConnection) {
      sockets.set(path, { handler: onConnection, connections: 0 });
    },
    close: () => new Promise((r) => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

export interface JetstreamReplayOptions {
  /** Per connection (by index): terminate the socket abruptly after sending this many frames. */
  dropAfter?: (number | undefined)[];
  /** After the last frame: close cleanly (1000) or hold the socket open like a live stream. */
  end?: 'close' | 'hold';
}

/**
 * Replays Jetstream frames like the real service: from the first event whose time_us is at or
 * after the `cursor` query parameter (inclusive; frames without a time_us travel with their
 * position), or all frames without a cursor.
 */
export function jetstreamReplay(frames: string[], options: JetstreamReplayOptions = {}): WebSocketHandler {
  const timeOf = (frame: string): number | undefined => {
    try { return (JSON.parse(frame) as { time_us?: number }).time_us; } catch { return undefined; }
  };
  return async (socket, req, connection) => {
    const cursor = req.query.get('cursor');
    const start = cursor === null ? 0 : frames.findIndex((f) => (timeOf(f) ?? -Infinity) >= Number(cursor));
    const toSend = start === -1 ? [] : frames.slice(start);
    const dropAfter = options.dropAfter?.[connection];
    for (const [i, frame] of toSend.entries()) {
      if (dropAfter !== undefined && i >= dropAfter) break;
      await new Promise<void>((r, j) => socket.send(frame, (e) => (e ? j(e) : r())));
    }
    if (dropAfter !== undefined && dropAfter < toSend.length) socket.terminate();
    else if ((options.end ?? 'close') === 'close') socket.close(1000, 'replay finished');
  };
}
