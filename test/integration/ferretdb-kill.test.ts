import type { MongoClient } from 'mongodb';
import { connectMongo } from '../../lila-core/db.js';
import { createGameRepo } from '../../lila-core/game/repo.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';
import { getGame, newGame, newUser } from '../support/api.js';
import { OPERA_GAME, sanLine } from '../support/chess.js';
import { connect, type Client, type Frame } from '../support/client.js';
import { testMongo, type TestMongo } from '../support/mongo.js';

/**
 * FerretDB killed (SIGKILL) while games are moving, then started again on the same data (issue
 * #14 part 2): every move a player was acknowledged is stored, no move refused `unavailable` is,
 * and every game plays on to the end of its line. lila-core runs against a FerretDB of this
 * file's own (TEST_MONGO_URL for the stack), so that the test can kill it.
 */
let mongo: TestMongo;
let stack: Stack;
let client: MongoClient;
const ifFerret = process.env.TEST_MONGO_URL ? test.skip : test;
beforeAll(async () => {
  mongo = await testMongo('kill');
  process.env.TEST_MONGO_URL = mongo.url;
  try {
    stack = await startStack({ relays: 1 });
  } finally {
    delete process.env.TEST_MONGO_URL;
  }
});
afterAll(async () => {
  await client?.close();
  await stack?.stop();
  await mongo?.stop();
});

const GAMES = 6;
const PLIES = 16;
const { ucis } = sanLine(OPERA_GAME);

type Played = { id: string; acked: string[]; refused: string[] };

/**
 * Plays the line's first PLIES plies, each side moving once acknowledged. A move refused
 * `unavailable` is tried again under a new ack id; one not answered (its save in doubt while the
 * database is away) is sent again with the same ack id, as a client does after a silence.
 */
async function play(sockets: [Client, Client], id: string, onAck: () => void): Promise<Played> {
  const played: Played = { id, acked: [], refused: [] };
  let a = 0;
  for (let ply = 0; ply < PLIES; ply++) {
    const socket = sockets[ply % 2];
    socket.send({ t: 'move', d: { u: ucis[ply], a: ++a } });
    for (;;) {
      const answer = await socket.next((f: Frame) => f.t === 'ack' || f.t === 'error', 20_000).catch(() => undefined);
      if (answer?.t === 'ack') break;
      if (answer === undefined) {
        socket.send({ t: 'move', d: { u: ucis[ply], a } });
        continue;
      }
      expect(answer).toMatchObject({ d: { code: 'unavailable' } });
      played.refused.push(`${ply}:${ucis[ply]}`);
      socket.send({ t: 'move', d: { u: ucis[ply], a: ++a } });
    }
    played.acked.push(ucis[ply]);
    onAck();
  }
  return played;
}

ifFerret(
  'FerretDB killed in the middle of a batch of moves: every acknowledged move is stored, and the games go on',
  async () => {
    const ids: string[] = [];
    const sockets: [Client, Client][] = [];
    for (let i = 0; i < GAMES; i++) {
      const [white, black] = [await newUser(stack, 'w'), await newUser(stack, 'b')];
      const id = await newGame(stack, white, black);
      const pair: [Client, Client] = [
        await connect(`${stack.relayUrls[0]}/play/${id}?token=${white.token}`),
        await connect(`${stack.relayUrls[0]}/play/${id}?token=${black.token}`),
      ];
      for (const s of pair) await s.next((f) => f.t === 'state');
      ids.push(id);
      sockets.push(pair);
    }

    // Once a third of the moves are acknowledged, with the others on their way, FerretDB dies.
    let acks = 0;
    let killed: Promise<unknown> | undefined;
    const onAck = () => {
      if (++acks !== Math.floor((GAMES * PLIES) / 3)) return;
      killed = (async () => {
        await mongo.ferretdb!.stop('SIGKILL');
        await mongo.restart();
      })();
    };
    const games = await Promise.all(ids.map((id, i) => play(sockets[i], id, onAck)));
    expect(killed).toBeDefined();
    await killed;

    client = (await connectMongo(mongo.url)).client;
    const repo = createGameRepo(client.db());
    for (const game of games) {
      const stored = await repo.find(game.id);
      // Every acknowledged move is stored, in order, and nothing else: no refused move was saved.
      expect(stored?.moves).toEqual(ucis.slice(0, PLIES));
      expect(game.acked).toEqual(ucis.slice(0, PLIES));
      // lila-core's memory is the database.
      expect((await getGame(stack, game.id)).moves).toEqual(stored?.moves);
    }
    sockets.flat().forEach((s) => s.close());
  },
  120_000,
);
