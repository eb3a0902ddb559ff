import fc from 'fast-check';
import type { Endpoint } from '../../protocol/client-in.js';
import { frameArbitrary, type FuzzFrame } from './frames.js';

/**
 * Where every generated value comes from: one seed for the run, and from it one seed per socket
 * slot, connection and chunk of frames. So what a slot's n-th connection sends does not depend on
 * timing, only on the seed: `frameAt` regenerates any frame from its id (`slot.connection.index`).
 */

/** A 31-bit seed from the run's seed and a path of numbers (FNV-1a over their 32-bit words). */
export function seedOf(...parts: number[]): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    let word = part >>> 0;
    for (let i = 0; i < 4; i++) {
      hash ^= word & 0xff;
      hash = Math.imul(hash, 0x01000193);
      word >>>= 8;
    }
  }
  return hash & 0x7fffffff;
}

/** Frames are drawn this many at a time, each chunk from its own seed (a connection sends a few dozen). */
export const CHUNK = 16;

const arbitraries = new Map<Endpoint, fc.Arbitrary<FuzzFrame>>();
const arbitraryFor = (endpoint: Endpoint): fc.Arbitrary<FuzzFrame> => {
  let arb = arbitraries.get(endpoint);
  if (!arb) arbitraries.set(endpoint, (arb = frameArbitrary(endpoint)));
  return arb;
};

export const chunkOf = (
  seed: number,
  slot: number,
  connection: number,
  endpoint: Endpoint,
  chunk: number,
): FuzzFrame[] => fc.sample(arbitraryFor(endpoint), { seed: seedOf(seed, slot, connection, chunk), numRuns: CHUNK });

/** The frames of one connection, in order, without end. */
export function* framesOf(seed: number, slot: number, connection: number, endpoint: Endpoint): Generator<FuzzFrame> {
  for (let chunk = 0; ; chunk++) yield* chunkOf(seed, slot, connection, endpoint, chunk);
}

/** The frame of that id again, as it was sent (before any hole was filled). */
export const frameAt = (seed: number, slot: number, connection: number, endpoint: Endpoint, index: number): FuzzFrame =>
  chunkOf(seed, slot, connection, endpoint, Math.floor(index / CHUNK))[index % CHUNK];

/**
 * Which socket a slot opens for a connection: an endpoint, and whose token. Mostly sockets the
 * relay accepts (players of the fuzzer's own games, spectators, the lobby, the site, one's own user
 * channel, with and without tokens), and about one in ten that it must refuse: no token where one
 * is needed, a forged token, another's game or user channel, an unknown game or path.
 */
export type SocketPlan =
  | { endpoint: 'play'; who: 'player'; pair: number; color: 'white' | 'black' }
  | { endpoint: 'play'; who: 'none' | 'stranger' | 'forged' | 'unknown-game'; pair: number }
  | { endpoint: 'watch'; who: Who; game: 'bot' | 'pair' | 'unknown'; pick: number }
  | { endpoint: 'lobby' | 'site'; who: Who }
  | { endpoint: 'user'; who: 'own' | 'other' | 'none' | 'forged'; pick: number }
  | { endpoint: 'odd'; path: string };

/** A socket's token: none, an anonymous session's, an account's, or one signed with another secret. */
export type Who = 'none' | 'anon' | 'account' | 'forged';

const who = fc.constantFrom<Who>('none', 'none', 'anon', 'anon', 'account', 'account');
/** Lobby sockets are mostly without a session: each seek accepted and each pool pairing is a new game. */
const lobbyWho = fc.constantFrom<Who>('none', 'none', 'none', 'anon', 'account');
const pick = fc.nat();

const planArbitrary: fc.Arbitrary<SocketPlan> = fc.oneof(
  {
    weight: 30,
    arbitrary: fc.record({
      endpoint: fc.constant('play' as const),
      who: fc.constant('player' as const),
      pair: pick,
      color: fc.constantFrom('white' as const, 'black' as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      endpoint: fc.constant('play' as const),
      who: fc.constantFrom('none' as const, 'stranger' as const, 'forged' as const, 'unknown-game' as const),
      pair: pick,
    }),
  },
  {
    weight: 20,
    arbitrary: fc.record({
      endpoint: fc.constant('watch' as const),
      who: fc.oneof(who, fc.constant('forged' as const)),
      game: fc.constantFrom('bot' as const, 'pair' as const, 'pair' as const, 'unknown' as const),
      pick,
    }),
  },
  { weight: 20, arbitrary: fc.record({ endpoint: fc.constant('lobby' as const), who: lobbyWho }) },
  { weight: 8, arbitrary: fc.record({ endpoint: fc.constant('site' as const), who }) },
  {
    weight: 8,
    arbitrary: fc.record({
      endpoint: fc.constant('user' as const),
      who: fc.constantFrom(
        'own' as const,
        'own' as const,
        'own' as const,
        'other' as const,
        'none' as const,
        'forged' as const,
      ),
      pick,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      endpoint: fc.constant('odd' as const),
      path: fc.oneof(
        fc.constantFrom(
          '/',
          '/play',
          '/play/',
          '/watch/../lobby',
          '/lobby/',
          '/LOBBY',
          '/user/',
          '/site?x',
          '/%00',
          '/play/' + 'a'.repeat(40),
        ),
        fc.webPath(),
      ),
    }),
  },
);

export const planOf = (seed: number, slot: number, connection: number): SocketPlan =>
  fc.sample(planArbitrary, { seed: seedOf(seed, slot, connection, 0x7fffffff), numRuns: 1 })[0];
