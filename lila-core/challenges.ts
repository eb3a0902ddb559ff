import { Room } from '../protocol/channels.js';
import { isAnonymous, type ChallengeJson, type ClockConfig, type Player } from '../protocol/game.js';
import { randomId } from './ids.js';
import type { Game } from './game/game.js';
import type { StartGame } from './game/start.js';
import type { Publisher } from './publish.js';
import { ok, refuse, type Result } from './result.js';

/**
 * Why a challenge is refused, in the HTTP API's words (`{"error":{"code"}}`): challenges are
 * answered over HTTP alone, whose codes are not a socket's. The HTTP edge gives each its status.
 */
export type ChallengeRefusalCode = 'self_challenge' | 'rated_needs_account' | 'not_found' | 'forbidden';
type Answer<T> = Result<T, ChallengeRefusalCode>;
const refuseChallenge = refuse<ChallengeRefusalCode>;

/** How long an unanswered challenge lives. */
const TTL_MS = 20 * 60_000;

/**
 * Direct challenges, held in memory (a restart of lila-core forgets open challenges, as lichess
 * forgets unanswered seeks). Each change is told to the other party's user channel.
 */
export function createChallenges(startGame: StartGame, publish: Publisher, now: () => number) {
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
    ): Promise<Answer<ChallengeJson>> {
      if (challenger.id === dest.id) return refuseChallenge('self_challenge', 'you cannot challenge yourself');
      if (rated && (isAnonymous(challenger.id) || isAnonymous(dest.id)))
        return refuseChallenge('rated_needs_account', 'rated games are played between two accounts');
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
      return ok(challenge);
    },

    async accept(id: string, by: string): Promise<Answer<Game>> {
      const challenge = get(id);
      if (!challenge) return refuseChallenge('not_found', 'no such challenge');
      if (challenge.destUser.id !== by) return refuseChallenge('forbidden', 'only the challenged player can accept');
      open.delete(id);
      const challengerWhite = challenge.color === 'random' ? Math.random() < 0.5 : challenge.color === 'white';
      const [white, black] = challengerWhite
        ? [challenge.challenger, challenge.destUser]
        : [challenge.destUser, challenge.challenger];
      return ok(await startGame({ players: { white, black }, clock: challenge.clock, rated: challenge.rated }));
    },

    /** Declined by the challenged player, or canceled by the challenger. */
    async close(id: string, by: string, how: 'decline' | 'cancel'): Promise<Answer<ChallengeJson>> {
      const challenge = get(id);
      if (!challenge) return refuseChallenge('not_found', 'no such challenge');
      const [allowed, other] =
        how === 'decline' ? [challenge.destUser, challenge.challenger] : [challenge.challenger, challenge.destUser];
      if (allowed.id !== by)
        return refuseChallenge(
          'forbidden',
          `only the ${how === 'decline' ? 'challenged player' : 'challenger'} can ${how}`,
        );
      open.delete(id);
      const closed = { ...plain(challenge), status: how === 'decline' ? ('declined' as const) : ('canceled' as const) };
      await publish.room(Room.user(other.id), {
        t: how === 'decline' ? 'challengeDeclined' : 'challengeCanceled',
        d: closed,
      });
      return ok(closed);
    },
  };
}
export type Challenges = ReturnType<typeof createChallenges>;
