import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertTap } from '../../scripts/fixtures/convert.js';
import { parseFixture } from '../../scripts/fixtures/format.js';
import { runFixture } from '../../scripts/fixtures/run.js';
import type { TapLine } from '../../src/tap.js';
import { tapUntil } from '../support/tap.js';
import { call, newGame, newUser } from '../support/api.js';
import { connect, type Client, type Frame } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * The round trip: a session played on a recording stack (TAP set), converted to a fixture, replays
 * on a second, fresh stack that shares nothing with the first.
 */

let recording: Stack;
let replaying: Stack;
let dir: string;
let file: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lila-convert-'));
  file = join(dir, 'tap.jsonl');
  [recording, replaying] = await Promise.all([
    startStack({ relays: 2, env: { TAP: file } }),
    startStack({ relays: 2 }),
  ]);
});
afterAll(async () => {
  await Promise.all([recording?.stop(), replaying?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const isEnd = (raw: string) => (JSON.parse(raw) as Frame).t === 'end';
const of = (t: string) => (f: Frame) => f.t === t;

test('a recorded game converts to a fixture that replays on a fresh stack', async () => {
  const white = await newUser(recording, 'white');
  const black = await newUser(recording, 'black');
  const gameId = await newGame(recording, white, black);
  const room = `game:${gameId}`;
  const [relay1, relay2] = recording.relayUrls;

  // One at a time, as the fixture will: each socket's first frame is the game's state.
  const w = await connect(`${relay1}/play/${gameId}?token=${white.token}`);
  await w.next(of('state'));
  const b = await connect(`${relay2}/play/${gameId}?token=${black.token}`);
  await b.next(of('state'));
  const s = await connect(`${relay2}/watch/${gameId}`);
  await s.next(of('state'));

  w.send(null);
  expect(await w.next((f) => (f as unknown) === 0)).toBe(0);

  /** A move, then its ack to the mover and the event to every socket. */
  const play = async (mover: Client, u: string, a: number, ply: number) => {
    mover.send({ t: 'move', d: { u, a } });
    expect(await mover.next(of('ack'))).toEqual({ t: 'ack', d: a });
    for (const socket of [w, b, s]) expect(await socket.next(of('move'))).toMatchObject({ v: ply, d: { uci: u } });
  };
  await play(w, 'f2f3', 1, 1);
  // Refused: white moves on black's turn, then (on its own turn) an illegal move.
  w.send({ t: 'move', d: { u: 'e2e4', a: 2 } });
  expect(await w.next(of('error'))).toMatchObject({ d: { code: 'not_your_turn' } });
  await play(b, 'e7e5', 1, 2);
  w.send({ t: 'move', d: { u: 'e2e5', a: 3 } });
  expect(await w.next(of('error'))).toMatchObject({ d: { code: 'illegal_move' } });
  await play(w, 'g2g4', 4, 3);
  await play(b, 'd8h4', 2, 4);
  for (const socket of [w, b, s])
    expect(await socket.next(of('end'))).toEqual({
      t: 'end',
      v: 5,
      d: { winner: 'black', status: 'mate', clock: { white: expect.any(Number), black: expect.any(Number) } },
    });

  const game = await call(recording, 'GET', `/api/game/${gameId}`);
  expect(game.json).toMatchObject({ status: 'mate', sans: ['f3', 'e5', 'g4', 'Qh4#'] });

  for (const socket of [w, b, s]) socket.close();
  await Promise.all([w.closed, b.closed, s.closed]);

  const lines = await tapUntil(
    file,
    (ls) =>
      ls.some((l) => l.dir === 'pub' && l.channel === room && isEnd(l.raw.slice(l.raw.indexOf('\n') + 1))) &&
      ['relay-1', 'relay-2'].every((relay) =>
        ls.some((l) => l.dir === 'topic' && l.proc === relay && l.topic.startsWith(`${room}/`) && isEnd(l.raw)),
      ) &&
      ls.filter((l) => l.dir === 'close').length >= 3 &&
      ls.some((l) => l.dir === 'http' && l.method === 'GET' && l.path === `/api/game/${gameId}`),
  );

  const text = convertTap(lines, 'fool’s mate, recorded');
  const report = `converted fixture:\n${text}`;
  expect({ report, has: ['$game.id', '$challenge.id', '$number'].map((s) => text.includes(s)) }).toEqual({
    report,
    has: [true, true, true],
  });
  const challengeId = (
    lines.find((l) => l.dir === 'http' && l.path === `/api/challenge/${black.id}`) as Extract<TapLine, { dir: 'http' }>
  ).response as { challenge: { id: string } };
  for (const secret of [gameId, challengeId.challenge.id, white.token, black.token, white.token.split('.')[1]])
    expect(text).not.toContain(secret);

  const fixture = parseFixture(text, 'converted.jsonl');
  const outcome = await runFixture(fixture, {
    httpUrl: replaying.httpUrl,
    wsUrls: replaying.relayUrls,
    redisUrl: replaying.redisUrl,
  });
  expect({ outcome, report }).toEqual({ outcome: { ok: true, steps: fixture.steps.length }, report });
});
