import type { Player } from '../../protocol/game.js';
import {
  CHALLENGE_TTL_MS,
  createChallenges,
  MAX_CHALLENGES_BY_USER,
  MAX_CHALLENGES_TO_USER,
  MAX_OPEN_CHALLENGES,
} from '../../lila-core/challenges.js';
import type { Game } from '../../lila-core/game/game.js';
import type { Publisher } from '../../lila-core/publish.js';

/** Open challenges are bounded: each expires, and a user may have only so many out, or waiting. */

const CLOCK = { limit: 300, increment: 3 };
const player = (id: string): Player => ({ id, name: id });

function setup(limits?: { open: number }) {
  let now = 1_700_000_000_000;
  const told: string[] = [];
  const publish = { room: (room: string) => Promise.resolve(void told.push(room)) } as unknown as Publisher;
  const started: unknown[] = [];
  const startGame = (game: unknown) => Promise.resolve((started.push(game), { id: 'game1' } as unknown as Game));
  const challenges = createChallenges(startGame, publish, () => now, limits);
  return { challenges, started, told, advance: (ms: number) => (now += ms) };
}

describe('expiry', () => {
  test(`a challenge expires ${CHALLENGE_TTL_MS / 60_000} minutes after it was made: it cannot be accepted, and is forgotten`, async () => {
    const { challenges, started, advance } = setup();
    const made = await challenges.create(player('alice'), player('bob'), CLOCK, 'white');
    if (!made.ok) throw new Error(made.message);
    expect(challenges.size).toBe(1);
    advance(CHALLENGE_TTL_MS - 1);
    await challenges.create(player('carol'), player('bob'), CLOCK, 'white');
    expect(challenges.size).toBe(2);
    advance(1);
    expect(await challenges.accept(made.value.id, 'bob')).toMatchObject({ ok: false, code: 'not_found' });
    expect(started).toEqual([]);
    expect(challenges.size).toBe(1);
  });

  test('expired challenges are swept without anyone touching them', async () => {
    const { challenges, advance } = setup();
    for (let i = 0; i < 5; i++) await challenges.create(player(`p${i}`), player('bob'), CLOCK, 'random');
    expect(challenges.size).toBe(5);
    advance(CHALLENGE_TTL_MS);
    challenges.sweep();
    expect(challenges.size).toBe(0);
  });

  test('an unexpired challenge is accepted as before', async () => {
    const { challenges, started, advance } = setup();
    const made = await challenges.create(player('alice'), player('bob'), CLOCK, 'white');
    if (!made.ok) throw new Error(made.message);
    advance(CHALLENGE_TTL_MS - 1);
    expect(await challenges.accept(made.value.id, 'bob')).toMatchObject({ ok: true });
    expect(started).toHaveLength(1);
    expect(challenges.size).toBe(0);
  });
});

describe('caps', () => {
  test(`a user has at most ${MAX_CHALLENGES_BY_USER} challenges out; one answered or expired makes room`, async () => {
    const { challenges, told, advance } = setup();
    const ids: string[] = [];
    for (let i = 0; i < MAX_CHALLENGES_BY_USER; i++) {
      const made = await challenges.create(player('spammer'), player(`dest${i}`), CLOCK, 'white');
      if (!made.ok) throw new Error(made.message);
      ids.push(made.value.id);
      advance(1000);
    }
    const sent = told.length;
    const over = await challenges.create(player('spammer'), player('another'), CLOCK, 'white');
    expect(over).toMatchObject({ ok: false, code: 'too_many_challenges' });
    expect(told).toHaveLength(sent);
    expect(challenges.size).toBe(MAX_CHALLENGES_BY_USER);

    expect(await challenges.close(ids[3], 'spammer', 'cancel')).toMatchObject({ ok: true });
    expect(await challenges.create(player('spammer'), player('another'), CLOCK, 'white')).toMatchObject({ ok: true });
    expect(await challenges.create(player('spammer'), player('more'), CLOCK, 'white')).toMatchObject({ ok: false });
    // The first one expires: room for one more.
    advance(CHALLENGE_TTL_MS - MAX_CHALLENGES_BY_USER * 1000 + 1);
    expect(await challenges.create(player('spammer'), player('more'), CLOCK, 'white')).toMatchObject({ ok: true });
    // Others are not held back by the spammer.
    expect(await challenges.create(player('someone'), player('more'), CLOCK, 'white')).toMatchObject({ ok: true });
  });

  test(`a user has at most ${MAX_CHALLENGES_TO_USER} challenges waiting for them`, async () => {
    const { challenges } = setup();
    for (let i = 0; i < MAX_CHALLENGES_TO_USER; i++)
      expect(await challenges.create(player(`anon-${i}`), player('star'), CLOCK, 'white')).toMatchObject({ ok: true });
    expect(await challenges.create(player('anon-x'), player('star'), CLOCK, 'white')).toMatchObject({
      ok: false,
      code: 'too_many_challenges',
    });
    expect(challenges.size).toBe(MAX_CHALLENGES_TO_USER);
  });

  test(`open challenges are ${MAX_OPEN_CHALLENGES} at most in all, however many users make them`, async () => {
    const { challenges } = setup({ open: 3 });
    for (let i = 0; i < 3; i++)
      expect(await challenges.create(player(`a${i}`), player(`b${i}`), CLOCK, 'white')).toMatchObject({ ok: true });
    expect(await challenges.create(player('a9'), player('b9'), CLOCK, 'white')).toMatchObject({
      ok: false,
      code: 'too_many_challenges',
    });
    expect(challenges.size).toBe(3);
  });
});
