import { connect } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * A deploy during an outage: with Redis gone, every Redis command would wait for a reconnect
 * forever. lila-core and the relays still stop cleanly on SIGTERM, each step bounded in time.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ relays: 1, env: { DRAIN_SPREAD_MS: '0', DRAIN_DEADLINE_MS: '1000' } });
});
afterAll(() => stack?.stop());

test('with Redis down, lila-core and a relay stop on SIGTERM with status 0; the socket is told to reconnect', async () => {
  const socket = await connect(`${stack.relayUrls[0]}/site`);
  await stack.redis.stop();
  const [core, relay] = await Promise.all([stack.core.stop('SIGTERM'), stack.relays[0].stop('SIGTERM')]);
  expect({ core, relay }).toEqual({ core: 0, relay: 0 });
  expect(await socket.closed).toEqual({ code: 1012, reason: expect.stringMatching(/restarting/) });
});
