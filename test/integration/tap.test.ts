import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TapLine } from '../../src/tap.js';
import { tapUntil } from '../support/tap.js';
import { newGame, newUser, type User } from '../support/api.js';
import { connect } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * With TAP set, lila-core and both relays append to one JSON Lines file: every frame a client
 * sent or received, every site-in envelope, every outbound message and every API call, secrets redacted.
 */

let stack: Stack;
let dir: string;
let file: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lila-tap-'));
  file = join(dir, 'tap.jsonl');
  stack = await startStack({ relays: 2, env: { TAP: file } });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Of<D extends TapLine['dir']> = Extract<TapLine, { dir: D }>;

const of = <D extends TapLine['dir']>(lines: TapLine[], dir: D) => lines.filter((l): l is Of<D> => l.dir === dir);
const frameOf = (pub: Of<'pub'>) => pub.raw.slice(pub.raw.indexOf('\n') + 1);
const parse = (raw: string) => JSON.parse(raw) as { t?: string; v?: number; d?: any };

test('two moves and a resign through two relays are recorded by every process, secrets redacted', async () => {
  const white: User = await newUser(stack, 'white');
  const black: User = await newUser(stack, 'black');
  const gameId = await newGame(stack, white, black);
  const room = `game:${gameId}`;

  const w = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${white.token}`);
  const b = await connect(`${stack.relayUrls[1]}/play/${gameId}?token=${black.token}`);
  await w.next((f) => f.t === 'state');
  await b.next((f) => f.t === 'state');

  const sent = {
    ping: 'null',
    e4: '{"t":"move","d":{"u":"e2e4","a":1}}',
    e5: '{"t":"move", "d":{"u":"e7e5", "a":1}}',
    resign: '{"t":"resign"}',
  };
  w.send(sent.ping);
  expect(await w.next((f) => (f as unknown) === 0)).toBe(0);
  w.send(sent.e4);
  expect(await w.next((f) => f.t === 'ack')).toEqual({ t: 'ack', d: 1 });
  for (const socket of [w, b]) expect(await socket.next((f) => f.t === 'move')).toMatchObject({ v: 1 });
  b.send(sent.e5);
  expect(await b.next((f) => f.t === 'ack')).toEqual({ t: 'ack', d: 1 });
  for (const socket of [w, b]) expect(await socket.next((f) => f.t === 'move')).toMatchObject({ v: 2 });
  w.send(sent.resign);
  for (const socket of [w, b]) expect(await socket.next((f) => f.t === 'end')).toMatchObject({ v: 3 });
  w.close();
  b.close();
  await Promise.all([w.closed, b.closed]);

  const isEnd = (raw: string) => parse(raw).t === 'end';
  const lines = await tapUntil(
    file,
    (ls) =>
      of(ls, 'pub').some((p) => p.channel === room && isEnd(frameOf(p))) &&
      ['relay-1', 'relay-2'].every((relay) =>
        of(ls, 'topic').some((t) => t.proc === relay && t.topic.startsWith(`${room}/`) && isEnd(t.raw)),
      ) &&
      of(ls, 'close').length >= 2,
  );
  const text = readFileSync(file, 'utf8');

  // Secrets never reach the file.
  expect(text).not.toContain('hunter22');
  for (const token of [white.token, black.token]) {
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split('.')[1]);
  }

  // Relays: the sockets opened (the path without its query), with their user.
  const opens = of(lines, 'open').filter((o) => o.path === `/play/${gameId}`);
  const whiteOpen = opens.find((o) => o.user === white.id);
  const blackOpen = opens.find((o) => o.user === black.id);
  expect(whiteOpen).toMatchObject({ proc: 'relay-1', relay: 'relay-1' });
  expect(blackOpen).toMatchObject({ proc: 'relay-2', relay: 'relay-2' });
  const [ws, bs] = [whiteOpen!.sid, blackOpen!.sid];

  // What each client sent, byte for byte, pings included.
  const ins = (sid: string) =>
    of(lines, 'in')
      .filter((l) => l.sid === sid)
      .map((l) => l.raw);
  expect(ins(ws)).toEqual([sent.ping, sent.e4, sent.resign]);
  expect(ins(bs)).toEqual([sent.e5]);

  // What each socket was sent alone: the first state, the pong, the acks.
  const outs = (sid: string) => of(lines, 'out').filter((l) => l.sid === sid);
  for (const [sid, proc] of [
    [ws, 'relay-1'],
    [bs, 'relay-2'],
  ] as const) {
    const [state, ...rest] = outs(sid);
    expect(state).toMatchObject({ proc });
    expect(parse(state.raw)).toMatchObject({ t: 'state', v: 0, d: { id: gameId, moves: [] } });
    expect(rest.map((l) => l.raw)).toContain('{"t":"ack","d":1}');
  }
  expect(outs(ws).map((l) => l.raw)).toContain('0');
  expect(of(lines, 'close').filter((c) => c.sid === ws || c.sid === bs)).toHaveLength(2);

  // Room frames: published once per relay, in order, the very frame lila-core published.
  // (The crowd, whose timing is the wall clock's, is left aside.)
  const isCrowd = (raw: string) => parse(raw).t === 'crowd';
  const pubs = of(lines, 'pub').filter((p) => p.channel === room && !isCrowd(frameOf(p)));
  expect(pubs.map((p) => parse(frameOf(p)).t)).toEqual(['move', 'move', 'end']);
  for (const pub of pubs) expect(parse(pub.raw.slice(0, pub.raw.indexOf('\n')))).toMatchObject({ t: 'room' });
  expect(pubs.every((p) => p.proc === 'core')).toBe(true);
  for (const relay of ['relay-1', 'relay-2']) {
    // Each relay publishes to the role topic of its socket: white on relay-1, black on relay-2.
    const role = relay === 'relay-1' ? 'white' : 'black';
    const topics = of(lines, 'topic').filter(
      (t) => t.proc === relay && t.topic === `${room}/${role}` && !isCrowd(t.raw),
    );
    expect(topics.map((t) => t.raw)).toEqual(pubs.map(frameOf));
    expect(topics.map((t) => parse(t.raw))).toMatchObject([
      { t: 'move', v: 1, d: { uci: 'e2e4' } },
      { t: 'move', v: 2, d: { uci: 'e7e5' } },
      { t: 'end', v: 3, d: { winner: 'black', status: 'resign' } },
    ]);
  }
  // The first states came from lila-core as join answers on each relay's channel.
  for (const relay of ['relay-1', 'relay-2'])
    expect(
      of(lines, 'pub').some((p) => p.channel === `relay:${relay}` && parse(p.raw.split('\n')[0]).t === 'join'),
    ).toBe(true);

  // lila-core heard the envelopes, as the relays sent them.
  const envelopes = of(lines, 'site-in')
    .map((l) => parse(l.raw) as { t: string; sid?: string; user?: string; d?: any })
    .filter((e) => e.sid === ws || e.sid === bs);
  expect(envelopes.filter((e) => e.t === 'move')).toMatchObject([
    { sid: ws, user: white.id, room, d: { u: 'e2e4', a: 1 } },
    { sid: bs, user: black.id, room, d: { u: 'e7e5', a: 1 } },
  ]);
  expect(envelopes.filter((e) => e.t === 'resign')).toMatchObject([{ sid: ws, user: white.id }]);
  expect(envelopes.filter((e) => e.t === 'join')).toHaveLength(2);

  // The API calls, with the caller and without secrets.
  const http = of(lines, 'http');
  const calls = (path: string) => http.filter((h) => h.path === path && h.method === 'POST');
  for (const user of [white, black]) {
    expect(calls('/api/account')).toContainEqual(
      expect.objectContaining({
        proc: 'core',
        status: 201,
        user: null,
        body: { name: user.name, password: '***' },
        response: { user: { id: user.id, name: user.name } },
      }),
    );
    expect(calls('/api/session')).toContainEqual(
      expect.objectContaining({
        status: 201,
        user: null,
        body: { name: user.name, password: '***' },
        response: { token: '***', user: { id: user.id, name: user.name } },
      }),
    );
  }
  const [challenge] = calls(`/api/challenge/${black.id}`);
  expect(challenge).toMatchObject({
    status: 201,
    user: white.id,
    body: { clock: { limit: 300, increment: 3 }, color: 'white' },
    response: { challenge: { challenger: { id: white.id } } },
  });
  const challengeId = (challenge.response as { challenge: { id: string } }).challenge.id;
  const accepts = calls(`/api/challenge/${challengeId}/accept`);
  expect(accepts).toHaveLength(1);
  expect(accepts[0]).toMatchObject({ status: 201, user: black.id, body: {}, response: { game: { id: gameId } } });
});
