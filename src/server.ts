import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import restify from 'restify';
import type { Logger } from './logger';

/** Teams activities are small; anything larger than this is refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface ServerHandlers {
  /** POST /api/messages: hands the request to the bot adapter. */
  messages(req: restify.Request, res: restify.Response): Promise<void>;
  /** GET /healthz: true when storage answers. */
  healthy(): Promise<boolean>;
}

export interface RunningServer {
  readonly port: number;
  readonly url: string;
  /** Stops taking connections, closes idle ones at once and each busy one when its response is done. */
  close(): Promise<void>;
}

export async function startServer(port: number, handlers: ServerHandlers, logger: Logger, host?: string): Promise<RunningServer> {
  const server = restify.createServer({ name: 'malbild', handleUncaughtExceptions: false });
  // JSON only: the Bot Framework sends nothing else, and a form or multipart
  // body would otherwise be parsed into an object (or written to disk).
  server.use(restify.plugins.bodyReader({ maxBodySize: MAX_BODY_BYTES }));
  server.use(restify.plugins.jsonBodyParser({ mapParams: false, bodyReader: true }));

  server.post('/api/messages', async (req, res) => {
    try {
      await handlers.messages(req, res);
    } catch (error) {
      logger.error({ err: error }, 'request to /api/messages failed');
      if (!res.headersSent) res.send(500);
    }
  });

  server.get('/healthz', async (_req, res) => {
    const ok = await handlers.healthy();
    res.send(ok ? 200 : 503, { status: ok ? 'ok' : 'storage unavailable' });
  });

  const connections = trackConnections(server.server);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (host) server.listen(port, host, () => resolve());
    else server.listen(port, () => resolve());
  });
  const address = server.address();
  const boundPort = address.port;
  logger.info({ port: boundPort }, 'listening');
  return {
    port: boundPort,
    url: `http://127.0.0.1:${boundPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        connections.closeWhenIdle();
      }),
  };
}

/**
 * The open connections and the requests on each. Node's own
 * closeIdleConnections() leaves a connection that has not sent a request yet
 * (a client's pre-opened socket) open until its request timeout, minutes
 * later, and a keep-alive connection until its keep-alive timeout: either
 * held a shutdown open. Here an idle connection is closed at once and a busy
 * one as soon as its last response is done, so a turn in progress finishes.
 */
function trackConnections(server: Server): { closeWhenIdle(): void } {
  const requestsOn = new Map<Socket, number>();
  let closing = false;
  server.on('connection', (socket: Socket) => {
    requestsOn.set(socket, 0);
    socket.once('close', () => requestsOn.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    requestsOn.set(socket, (requestsOn.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const left = (requestsOn.get(socket) ?? 1) - 1;
      requestsOn.set(socket, left);
      if (closing && left === 0) socket.destroy();
    });
  });
  return {
    closeWhenIdle: () => {
      closing = true;
      for (const [socket, requests] of requestsOn) if (requests === 0) socket.destroy();
    },
  };
}
