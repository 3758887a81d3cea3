import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';

/** Starts an HTTP server on a free port of 127.0.0.1: the stand-ins for Teams' and Entra's endpoints. */
export async function listenLocally(listener: RequestListener, keepAliveTimeoutMs?: number): Promise<Server> {
  const server = createServer(listener);
  if (keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = keepAliveTimeoutMs;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Stops a server from listenLocally (if it was started), dropping the connections kept alive. */
export async function closeLocally(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A request's whole body as UTF-8 text ('' when there is none). */
export async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
