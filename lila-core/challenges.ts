import { Room } from '../protocol/channels.js';
import { isAnonymous, type ChallengeJson, type ClockConfig, type Player } from '../protocol/game.js';
import { randomId } from './ids.js';
import type { Game } from './game/game.js';
import type { Games } from './game/games.js';
import type { Publisher } from './publish.js';

/** What went wrong, for the HTTP layer to turn into a status. */
export type ChallengeError = { status: 400 | 403 | 404 | 409; code: string; message: string };
type Outcome<T> = { ok: true; value: T } | { ok: false; error: ChallengeError };

const fail = <T>(status: ChallengeError['status'], code: string, message: string): Outcome<T> => ({
  ok: false,
  error: { status, code, message },
});

/** How long an unanswered challenge lives. */
const TTL_MS = 20 * 60_000;

/**
 * Direct challenges, held in memory (a restart of lila-core forgets open challenges, as lichess
 * forgets unanswered seeks). Each change is told to the other party's user channel.
 */
/** `started`: the players of a new game (their seeks die, they leave the pools). */
export function createChallenges(
  games: Games,
  publish: Publisher,
  now: () => number,
  started: (userIds: string[]) => Promise<unknown> = async () => undefined,
) {
  const open = new Map<string, ChallengeJson & { expiresAt: number }>();

  const get = (id: string) => {
    const challenge = open.get(id);
    if (challenge && challenge.expiresAt < now()) open.delete(id);
    return open.get(id);
  };
  const plain = ({ expiresAt, ...challenge }: ChallengeJson & { expiresAt: number }): ChallengeJson => (
    void expiresAt,
    challenge
  );

  return {
    async create(
      challenger: Player,
      dest: Player,
      clock: ClockConfig,
      color: ChallengeJson['color'],
      rated = false,
    ): Promise<Outcome<ChallengeJson>> {
      if (challenger.id === dest.id) return fail(400, 'self_challenge', 'you cannot challenge yourself');
      if (rated && (isAnonymous(challenger.id) || isAnonymous(dest.id)))
        return fail(400, 'rated_needs_account', 'rated games are played between two accounts');
      const challenge = {
        id: randomId(8),
        status: 'created' as const,
        challenger,
        destUser: dest,
        clock,
        color,
        rated,
      };
      open.set(challenge.id, { ...challenge, expiresAt: now() + TTL_MS });
      await publish.room(Room.user(dest.id), { t: 'challenge', d: challenge });
      return { ok: true, value: challenge };
    },

    async accept(id: string, by: string): Promise<Outcome<Game>> {
      const challenge = get(id);
      if (!challenge) return fail(404, 'not_found', 'no such challenge');
      if (challenge.destUser.id !== by) return fail(403, 'forbidden', 'only the challenged player can accept');
      open.delete(id);
      const challengerWhite = challenge.color === 'random' ? Math.random() < 0.5 : challenge.color === 'white';
      const [white, black] = challengerWhite
        ? [challenge.challenger, challenge.destUser]
        : [challenge.destUser, challenge.challenger];
      const game = await games.create({ white, black }, challenge.clock, { rated: challenge.rated });
      const redirect = { t: 'redirect', d: { id: game.id } } as const;
      await Promise.all([publish.room(Room.user(white.id), redirect), publish.room(Room.user(black.id), redirect)]);
      await started([white.id, black.id]);
      return { ok: true, value: game };
    },

    /** Declined by the challenged player, or canceled by the challenger. */
    async close(id: string, by: string, how: 'decline' | 'cancel'): Promise<Outcome<ChallengeJson>> {
      const challenge = get(id);
      if (!challenge) return fail(404, 'not_found', 'no such challenge');
      const [allowed, other] =
        how === 'decline' ? [challenge.destUser, challenge.challenger] : [challenge.challenger, challenge.destUser];
      if (allowed.id !== by)
        return fail(403, 'forbidden', `only the ${how === 'decline' ? 'challenged player' : 'challenger'} can ${how}`);
      open.delete(id);
      const closed = { ...plain(challenge), status: how === 'decline' ? ('declined' as const) : ('canceled' as const) };
      await publish.room(Room.user(other.id), {
        t: how === 'decline' ? 'challengeDeclined' : 'challengeCanceled',
        d: closed,
      });
      return { ok: true, value: closed };
    },
  };
}
export type Challenges = ReturnType<typeof createChallenges>;
