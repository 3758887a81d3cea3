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
  close(): Promise<void>;
}

export async function startServer(port: number, handlers: ServerHandlers, logger: Logger, host?: string): Promise<RunningServer> {
  const server = restify.createServer({ name: 'malbild', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }));

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
        // Idle keep-alive connections would hold the close open for minutes.
        server.server.closeIdleConnections();
      }),
  };
}
