import fc from 'fast-check';
import { ClientAction, endpointActions, type ClientActionType, type Endpoint } from '../../protocol/client-in.js';
import { oddText } from './unicode.js';

/**
 * Valid ClientIn frames of every type, typed by protocol/client-in.ts: a type added there fails to
 * compile here until it has its generator. Each generator keeps only what ClientAction accepts, so
 * "valid" means what the relay's own schema says.
 */

export type ActionOf<T extends ClientActionType> = Extract<ClientAction, { t: T }>;

/** The pools lila-core runs (lila-core/lobby/pools.ts; scripts may not import it). */
export const POOL_IDS = ['1+0', '2+1', '3+0', '3+2', '5+0', '5+3', '10+0', '10+5', '15+10', '30+0', '30+20'];

/** First moves of both sides: often legal at the start of a game, where fuzzed games spend their time. */
const OPENING_UCIS = ['e2e4', 'd2d4', 'g1f3', 'c2c4', 'b1c3', 'e7e5', 'd7d5', 'g8f6', 'c7c5', 'e7e6', 'b8c6', 'g7g6'];

const file = fc.constantFrom(...'abcdefgh');
const rank = fc.integer({ min: 1, max: 8 });
export const uci: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...OPENING_UCIS),
  fc
    .tuple(file, rank, file, rank, fc.option(fc.constantFrom('q', 'r', 'b', 'n'), { freq: 8, nil: '' }))
    .map((parts) => parts.join('')),
);

/** Ack ids as clients send them (small, growing), and as a hostile one might (huge, zero). */
const ackId = fc.option(fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)), {
  freq: 5,
  nil: undefined,
});
const lag = fc.option(fc.integer({ min: 0, max: 60_000 }), { freq: 2, nil: undefined });

const clock = fc.oneof(
  fc.constantFrom(...POOL_IDS).map((id) => {
    const [limit, increment] = id.split('+').map(Number) as [number, number];
    return { limit: limit * 60, increment };
  }),
  fc.record({ limit: fc.integer({ min: 0, max: 10800 }), increment: fc.integer({ min: 0, max: 180 }) }),
);

/** Words, any text, and odd unicode, trimmed to what chat takes (1 to 140 characters). */
const chatText = fc
  .oneof(
    fc.constantFrom('gg', 'good luck', 'wp', 'nice move', 'thanks!', 'rematch?'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 140 }),
    oddText(),
  )
  .map((text) => (text.trim() ? text : `x${text}`).slice(0, 140));

const id16 = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 16 });
const poolId = fc.oneof(
  fc.constantFrom(...POOL_IDS),
  fc.string({ unit: 'grapheme-ascii', minLength: 3, maxLength: 8 }),
);

const bare = <T extends ClientActionType>(t: T) => fc.constant({ t } as ActionOf<T>);

export const validActions: { [T in ClientActionType]: fc.Arbitrary<ActionOf<T>> } = {
  move: fc.record({ t: fc.constant('move'), d: fc.record({ u: uci, a: ackId, l: lag }) }),
  resign: bare('resign'),
  abort: bare('abort'),
  'draw-yes': bare('draw-yes'),
  'draw-no': bare('draw-no'),
  'takeback-yes': bare('takeback-yes'),
  'takeback-no': bare('takeback-no'),
  moretime: bare('moretime'),
  'rematch-yes': bare('rematch-yes'),
  'rematch-no': bare('rematch-no'),
  outoftime: bare('outoftime'),
  'resign-force': bare('resign-force'),
  'draw-force': bare('draw-force'),
  clock: bare('clock'),
  berserk: bare('berserk'),
  talk: fc.record({ t: fc.constant('talk'), d: chatText }),
  seek: fc.record({
    t: fc.constant('seek'),
    d: fc.record({ clock, color: fc.constantFrom('white', 'black', 'random'), rated: fc.boolean() }),
  }),
  'seek-cancel': fc.record({ t: fc.constant('seek-cancel'), d: fc.record({ id: id16 }) }),
  'seek-accept': fc.record({ t: fc.constant('seek-accept'), d: fc.record({ id: id16 }) }),
  'pool-in': fc.record({ t: fc.constant('pool-in'), d: fc.record({ id: poolId }) }),
  'pool-out': fc.record({ t: fc.constant('pool-out'), d: fc.record({ id: poolId }) }),
};

export const ACTION_TYPES = Object.keys(validActions) as ClientActionType[];

const accepted = <T>(arb: fc.Arbitrary<T>) => arb.filter((action) => ClientAction.safeParse(action).success);

/** Any valid action, whichever endpoint it is meant for. */
export const anyAction: fc.Arbitrary<ClientAction> = accepted(
  fc.oneof(...ACTION_TYPES.map((t) => validActions[t] as fc.Arbitrary<ClientAction>)),
);

/** A valid action the endpoint accepts, or any action where it accepts none (`/site`, `/user`). */
export function actionFor(endpoint: Endpoint): fc.Arbitrary<ClientAction> {
  const here = [...endpointActions[endpoint]];
  return here.length
    ? accepted(fc.oneof(...here.map((t) => validActions[t] as fc.Arbitrary<ClientAction>)))
    : anyAction;
}

/** `null`, `{"t":"p"}` and `{"t":"p","l":N}`: the pings. */
export const ping = fc.oneof(
  fc.constant(null),
  fc.constant({ t: 'p' as const }),
  fc.record({ t: fc.constant('p' as const), l: fc.nat({ max: 100_000 }) }),
);
