import { Chess } from 'chessops/chess';
import { makeFen } from 'chessops/fen';
import { ClientAction, endpointActions, MAX_FRAME_BYTES, Ping, type Endpoint } from '../../protocol/client-in.js';
import type { GameJson } from '../../protocol/game.js';
import { legalUcis } from '../../scripts/fuzz/chess.js';
import { CATEGORIES, mutate, padded, type FuzzFrame } from '../../scripts/fuzz/frames.js';
import { gameProblems } from '../../scripts/fuzz/invariants.js';
import { BUDGETS, newPace, readyAt, spend } from '../../scripts/fuzz/pace.js';
import { closer } from '../../scripts/fuzz/slot.js';
import { chunkOf, frameAt, framesOf, planOf } from '../../scripts/fuzz/source.js';
import { ACTION_TYPES } from '../../scripts/fuzz/valid.js';
import { admit, LIMITS, newLimits } from '../../ws-server/rate-limit.js';
import { OPERA_GAME, sanLine } from '../support/chess.js';

/** The fuzzer's own parts, without a stack: its generators, its pacing and its game check. */

const ENDPOINTS: Endpoint[] = ['play', 'watch', 'lobby', 'site', 'user'];
const take = (gen: Generator<FuzzFrame>, n: number) => Array.from({ length: n }, () => gen.next().value as FuzzFrame);
const parsed = (frame: FuzzFrame): unknown => {
  try {
    return JSON.parse(typeof frame.data === 'string' ? frame.data : Buffer.from(frame.data).toString());
  } catch {
    return undefined;
  }
};
const isValid = (json: unknown) => Ping.safeParse(json).success || ClientAction.safeParse(json).success;

describe('generated frames', () => {
  const frames = new Map(ENDPOINTS.map((endpoint) => [endpoint, take(framesOf(7, 1, 0, endpoint), 3000)]));

  test('every "valid" frame is a ping or a ClientAction, and every action type is generated', () => {
    const types = new Set<string>();
    for (const list of frames.values())
      for (const frame of list.filter((f) => f.category === 'valid')) {
        const json = parsed(frame);
        expect({ data: frame.data, valid: isValid(json) }).toEqual({ data: frame.data, valid: true });
        types.add((json as { t?: string } | null)?.t ?? 'null');
      }
    expect([...types].sort()).toEqual([...ACTION_TYPES, 'null', 'p'].sort());
  });

  test('each endpoint gets mostly the actions it accepts', () => {
    for (const endpoint of ['play', 'watch', 'lobby'] as const) {
      const actions = frames
        .get(endpoint)!
        .filter((f) => f.category === 'valid')
        .map((f) => (parsed(f) as { t?: string } | null)?.t);
      const here = actions.filter((t) => t !== undefined && endpointActions[endpoint].has(t as never)).length;
      expect(here / actions.length).toBeGreaterThan(0.5);
    }
  });

  test('every category is generated, in roughly its share', () => {
    const all = [...frames.values()].flat();
    for (const category of CATEGORIES) expect(all.some((f) => f.category === category)).toBe(true);
    expect(all.filter((f) => f.category === 'valid').length / all.length).toBeGreaterThan(0.25);
  });

  test('near-valid frames are mostly refused by the schema; binary frames are binary', () => {
    const all = [...frames.values()].flat();
    const near = all.filter((f) => f.category === 'near-valid');
    expect(near.filter((f) => !isValid(parsed(f))).length / near.length).toBeGreaterThan(0.6);
    expect(all.filter((f) => f.category === 'binary').every((f) => f.binary)).toBe(true);
    expect(all.filter((f) => f.category !== 'binary').some((f) => f.binary)).toBe(false);
  });

  test('oversize frames sit on both sides of the 8 KiB limit and past the hard one', () => {
    const sizes = [...frames.values()]
      .flat()
      .filter((f) => f.category === 'oversize')
      .map((f) => (typeof f.data === 'string' ? Buffer.byteLength(f.data) : f.data.length));
    expect(sizes.some((n) => n <= MAX_FRAME_BYTES && n > MAX_FRAME_BYTES - 100)).toBe(true);
    expect(sizes.some((n) => n > MAX_FRAME_BYTES && n < MAX_FRAME_BYTES + 100)).toBe(true);
  });

  test('padding gives exact byte lengths, whatever the width of the padding character', () => {
    for (const pad of [' ', 'é', '€', '😀'])
      for (const bytes of [MAX_FRAME_BYTES - 1, MAX_FRAME_BYTES, MAX_FRAME_BYTES + 1])
        expect(Buffer.byteLength(padded('{"t":"talk","d":"', '"}', bytes, pad))).toBe(bytes);
  });

  test('byte mutations: flips, cuts, insertions and repeats', () => {
    const bytes = Buffer.from('{"t":"clock"}');
    expect(Buffer.from(mutate(bytes, [{ op: 'truncate', at: 5 }])).toString()).toBe('{"t":');
    expect(Buffer.from(mutate(bytes, [{ op: 'delete', at: 0, length: 1 }])).toString()).toBe('"t":"clock"}');
    expect(Buffer.from(mutate(bytes, [{ op: 'token', at: 13, token: '//' }])).toString()).toBe('{"t":"clock"}//');
    expect(Buffer.from(mutate(bytes, [{ op: 'repeat', at: 0, length: 1, times: 2 }])).toString()).toBe(
      '{{{"t":"clock"}',
    );
  });

  test('what may close a socket: binary, over a limit, not UTF-8', () => {
    const frame = (category: FuzzFrame['category'], binary = false): FuzzFrame => ({
      category,
      kind: 'other',
      data: '',
      binary,
    });
    expect(closer(frame('binary', true), new Uint8Array(3))).toBe('binary');
    expect(closer(frame('oversize'), 'x'.repeat(MAX_FRAME_BYTES + 1))).toBe('over 8 KiB');
    expect(closer(frame('oversize'), 'x'.repeat(MAX_FRAME_BYTES))).toBeUndefined();
    expect(closer(frame('unicode'), Uint8Array.from([0x7b, 0xed, 0xa0, 0x80]))).toBe('not UTF-8');
    expect(closer(frame('unicode'), Buffer.from('{"t":"talk","d":"😀"}'))).toBeUndefined();
  });
});

describe('seeds', () => {
  test('the same seed gives the same frames and plans; another seed, others', () => {
    const data = (frames: FuzzFrame[]) => frames.map((f) => Buffer.from(f.data).toString('base64'));
    expect(data(chunkOf(42, 3, 1, 'play', 0))).toEqual(data(chunkOf(42, 3, 1, 'play', 0)));
    expect(data(chunkOf(42, 3, 1, 'play', 0))).not.toEqual(data(chunkOf(43, 3, 1, 'play', 0)));
    expect(planOf(42, 3, 1)).toEqual(planOf(42, 3, 1));
  });

  test('a frame id regenerates the frame it names', () => {
    const frames = take(framesOf(5, 2, 4, 'lobby'), 40);
    for (const index of [0, 15, 16, 39])
      expect(Buffer.from(frameAt(5, 2, 4, 'lobby', index).data)).toEqual(Buffer.from(frames[index].data));
  });
});

describe('pacing', () => {
  test("a socket sending as fast as its pace allows never meets the relay's limits", () => {
    const kinds = ['other', 'move', 'chat', 'ping'] as const;
    for (const kind of kinds) {
      const pace = newPace(0);
      const limits = newLimits(0);
      let now = 0;
      for (let i = 0; i < 500; i++) {
        now = readyAt(pace, kind, now);
        spend(pace, kind, now);
        if (kind !== 'ping') expect(admit(limits, kind, now)).toBe('pass');
      }
      // And it does not crawl either: past the burst, at least 85% of the relay's rate.
      if (kind !== 'ping')
        expect(500 - BUDGETS[kind].burst).toBeGreaterThan((now / 1000) * LIMITS[kind].perSecond * 0.85);
    }
  });
});

describe('game invariants', () => {
  const game = (moves: string[], over: Partial<GameJson> = {}): GameJson => {
    const position = Chess.default();
    return {
      id: 'abcdefgh',
      players: { white: { id: 'w', name: 'w' }, black: { id: 'b', name: 'b' } },
      clock: { limit: 300, increment: 0 },
      clocks: { white: 300, black: 300 },
      moves,
      sans: [],
      fen: makeFen(position.toSetup()),
      status: 'started',
      winner: null,
      v: moves.length,
      ...over,
    };
  };
  const { ucis, fen } = sanLine(OPERA_GAME);

  test('a game equal to its replay holds', () => {
    expect(gameProblems(game(ucis, { sans: OPERA_GAME, fen, status: 'mate', winner: 'white' }))).toEqual([]);
    expect(gameProblems(game([]))).toEqual([]);
    expect(gameProblems(game(['e2e4'], { ...sanLine(['e4']), sans: ['e4'], status: 'aborted' }))).toEqual([]);
  });

  test('a wrong SAN, FEN, status or winner, or an illegal move, is found', () => {
    const opera = { sans: OPERA_GAME, fen, status: 'mate' as const, winner: 'white' as const };
    expect(gameProblems(game(ucis, { ...opera, sans: [...OPERA_GAME.slice(0, -1), 'Rd8+'] }))).toHaveLength(1);
    expect(gameProblems(game(ucis, { ...opera, fen: makeFen(Chess.default().toSetup()) }))).toHaveLength(1);
    expect(gameProblems(game(ucis, { ...opera, status: 'started', winner: null }))).toHaveLength(1);
    expect(gameProblems(game(ucis, { ...opera, winner: 'black' }))).toHaveLength(1);
    expect(gameProblems(game(['e2e5']))).toHaveLength(1);
    const three = sanLine(['e4', 'e5', 'Nf3']);
    expect(
      gameProblems(game(three.ucis, { sans: ['e4', 'e5', 'Nf3'], fen: three.fen, status: 'aborted' })),
    ).toHaveLength(1);
  });

  test('legal moves in UCI, promotions spelled out', () => {
    expect(legalUcis(Chess.default())).toHaveLength(20);
  });
});
