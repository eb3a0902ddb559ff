import { Registry } from 'prom-client';
import { liveGauges } from '../../lila-core/metrics.js';

test("lila-core's gauges read what it holds at each scrape, saves in doubt and queued game actions among them", async () => {
  const registry = new Registry();
  let inDoubt = 0;
  liveGauges(registry, {
    games: () => 7,
    users: () => 3,
    challenges: () => 2,
    revoked: () => 1,
    inDoubt: () => inDoubt,
    queued: () => 5,
  });
  expect(await registry.metrics()).toMatch(/^lila_core_saves_in_doubt 0$/m);
  inDoubt = 2;
  const text = await registry.metrics();
  expect(text).toMatch(/^lila_core_saves_in_doubt 2$/m);
  expect(text).toMatch(/^lila_core_live_games 7$/m);
  expect(text).toMatch(/^lila_core_online_users 3$/m);
  expect(text).toMatch(/^lila_core_open_challenges 2$/m);
  expect(text).toMatch(/^lila_core_revoked_sessions 1$/m);
  expect(text).toMatch(/^lila_core_game_actions_queued 5$/m);
});
