import { newGame, newUser } from '../support/api.js';
import { connect } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/** Every process serves Prometheus metrics at GET /metrics, and they count what happened. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ relays: 1 });
});
afterAll(() => stack?.stop());

const scrape = async (base: string) => {
  const res = await fetch(`${base}/metrics`);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
};
const httpOf = (wsUrl: string) => wsUrl.replace(/^ws/, 'http');
const value = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

test('a relay counts its sockets, the frames in and out, and the frames it refused', async () => {
  const [white, black] = [await newUser(stack, 'w'), await newUser(stack, 'b')];
  const gameId = await newGame(stack, white, black);
  const w = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${white.token}`);
  await w.next((f) => f.t === 'state');
  w.send(null);
  await w.next((f) => (f as unknown) === 0);
  w.send('{not json');
  await w.next((f) => f.t === 'error');
  w.send({ t: 'move', d: { u: 'e2e4', a: 1 } });
  await w.next((f) => f.t === 'ack');

  const text = await scrape(httpOf(stack.relayUrls[0]));
  expect(value(text, 'lila_relay_sockets{endpoint="play",auth="user"}')).toBe(1);
  expect(value(text, 'lila_relay_frames_in_total{type="ping"}')).toBeGreaterThanOrEqual(1);
  expect(value(text, 'lila_relay_frames_in_total{type="move"}')).toBe(1);
  expect(value(text, 'lila_relay_frames_refused_total{reason="bad_json"}')).toBe(1);
  expect(value(text, 'lila_relay_frames_out_total{to="socket"}')).toBeGreaterThanOrEqual(4);
  expect(value(text, 'lila_relay_frames_out_total{to="topic"}')).toBeGreaterThanOrEqual(1);
  expect(value(text, 'lila_relay_rooms_held')).toBeGreaterThanOrEqual(2);
  expect(text).toContain('# TYPE lila_relay_redis_roundtrip_seconds histogram');
  expect(text).toContain('lila_relay_nodejs_eventloop_lag_seconds');
  w.close();
  await w.closed;
});

test('lila-core counts actions by type, saved moves, its MongoDB writes, live games and online users', async () => {
  const [white, black] = [await newUser(stack, 'w'), await newUser(stack, 'b')];
  const gameId = await newGame(stack, white, black);
  const w = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${white.token}`);
  await w.next((f) => f.t === 'state');
  const before = value(await scrape(stack.httpUrl), 'lila_core_moves_total') ?? 0;
  w.send({ t: 'move', d: { u: 'd2d4', a: 1 } });
  await w.next((f) => f.t === 'ack');

  const text = await scrape(stack.httpUrl);
  expect(value(text, 'lila_core_moves_total')).toBe(before + 1);
  expect(value(text, 'lila_core_actions_total{type="move"}')).toBeGreaterThanOrEqual(1);
  expect(value(text, 'lila_core_actions_total{type="join"}')).toBeGreaterThanOrEqual(1);
  expect(value(text, 'lila_core_mongo_write_seconds_count')).toBeGreaterThanOrEqual(1);
  expect(value(text, 'lila_core_live_games')).toBeGreaterThanOrEqual(1);
  expect(text).toContain('# TYPE lila_core_online_users gauge');
  expect(text).toContain('lila_core_nodejs_eventloop_lag_seconds');
  w.close();
});
