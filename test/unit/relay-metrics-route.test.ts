import { get } from 'node:http';
import { Gauge, Registry } from 'prom-client';
import type { us_listen_socket } from 'uWebSockets.js';
import { serveHttp } from '../../ws-server/http-routes.js';
import { loadNativeUws } from '../../ws-server/uws.js';
import { freePort } from '../../scripts/stack/services.js';

test('GET /metrics answers 500 when a metric cannot be collected, rather than leave a rejection unhandled', async () => {
  const uws = loadNativeUws();
  const app = uws.App();
  const registry = new Registry();
  new Gauge({
    name: 'broken',
    help: 'a collector that throws',
    registers: [registry],
    collect() {
      throw new Error('cannot collect');
    },
  });
  serveHttp(app, { registry, connected: () => true, ready: () => true, startedAt: Date.now(), connections: () => 0 });
  const port = await freePort();
  const socket = await new Promise<us_listen_socket>((resolve, reject) =>
    app.listen('127.0.0.1', port, (s) => (s ? resolve(s) : reject(new Error('cannot listen')))),
  );
  try {
    // Without keep-alive, so that nothing holds the relay's loop open after the test.
    const status = await new Promise<number | undefined>((resolve, reject) =>
      get({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).once('error', reject),
    );
    expect(status).toBe(500);
  } finally {
    uws.us_listen_socket_close(socket);
  }
});
