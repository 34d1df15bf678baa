import type { FastifyInstance } from 'fastify';

/**
 * Logs the connections Node drops above `server.maxConnections` (its `drop` event), at
 * most one line per 10 s with the count, so a flood shows in the logs without flooding them.
 */
export function watchConnectionCap(app: FastifyInstance, maxConnections: number): void {
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;
  app.server.on('drop', () => {
    dropped += 1;
    timer ??= setTimeout(() => {
      app.log.warn({ dropped, maxConnections }, 'connections refused: the connection cap is reached');
      dropped = 0;
      timer = undefined;
    }, 10_000).unref();
  });
  app.addHook('onClose', async () => clearTimeout(timer));
}
