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
export type ChallengeRefusalCode =
  'self_challenge' | 'rated_needs_account' | 'not_found' | 'forbidden' | 'too_many_challenges';
type Answer<T> = Result<T, ChallengeRefusalCode>;
const refuseChallenge = refuse<ChallengeRefusalCode>;

/** How long an unanswered challenge lives (a real-time game: its players are at their screens). */
export const CHALLENGE_TTL_MS = 20 * 60_000;
/** Challenges one user may have out at once: more than a human sends, few enough to stop a spammer. */
export const MAX_CHALLENGES_BY_USER = 10;
/** Challenges waiting for one user at once: anonymous sessions are free, so each one's cap is not enough. */
export const MAX_CHALLENGES_TO_USER = 50;
/** Open challenges in all: the map's bound, whoever makes them (about 500 bytes each). */
export const MAX_OPEN_CHALLENGES = 50_000;

type Open = ChallengeJson & { expiresAt: number };

/** How many open challenges each user has, by one side: kept with the map, for caps without a scan. */
function createCounts() {
  const counts = new Map<string, number>();
  return {
    of: (id: string) => counts.get(id) ?? 0,
    add: (id: string) => counts.set(id, (counts.get(id) ?? 0) + 1),
    remove(id: string) {
      const n = (counts.get(id) ?? 0) - 1;
      if (n > 0) counts.set(id, n);
      else counts.delete(id);
    },
  };
}

/**
 * Direct challenges, held in memory (a restart of lila-core forgets open challenges, as lichess
 * forgets unanswered seeks). Each change is told to the other party's user channel. Every challenge
 * expires after CHALLENGE_TTL_MS; users have caps on challenges out and waiting, and the map has one.
 */
export function createChallenges(
  startGame: StartGame,
  publish: Publisher,
  now: () => number,
  limits: { open: number } = { open: MAX_OPEN_CHALLENGES },
) {
  /** In order of creation, hence of expiry (all live as long): the expired ones are at the front. */
  const open = new Map<string, Open>();
  const byChallenger = createCounts();
  const byDest = createCounts();

  /** dest user id → ids of the challenges waiting for them: what a socket of theirs is sent again. */
  const toUser = new Map<string, Set<string>>();

  const drop = (challenge: Open) => {
    open.delete(challenge.id);
    const waiting = toUser.get(challenge.destUser.id);
    waiting?.delete(challenge.id);
    if (!waiting?.size) toUser.delete(challenge.destUser.id);
    byChallenger.remove(challenge.challenger.id);
    byDest.remove(challenge.destUser.id);
  };
  /** Forgets expired challenges: those at the front of the map, so it costs what it removes. */
  const sweep = () => {
    const at = now();
    for (const challenge of open.values()) {
      if (challenge.expiresAt > at) return;
      drop(challenge);
    }
  };
  const get = (id: string) => {
    sweep();
    return open.get(id);
  };
  const plain = ({ expiresAt, ...challenge }: Open): ChallengeJson => (void expiresAt, challenge);

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
      sweep();
      if (byChallenger.of(challenger.id) >= MAX_CHALLENGES_BY_USER)
        return refuseChallenge('too_many_challenges', `at most ${MAX_CHALLENGES_BY_USER} challenges out at once`);
      if (byDest.of(dest.id) >= MAX_CHALLENGES_TO_USER)
        return refuseChallenge('too_many_challenges', `${dest.name} has too many challenges waiting`);
      if (open.size >= limits.open)
        return refuseChallenge('too_many_challenges', 'too many open challenges; try again later');
      const challenge = {
        id: randomId(8),
        status: 'created' as const,
        challenger,
        destUser: dest,
        clock,
        color,
        rated,
      };
      open.set(challenge.id, { ...challenge, expiresAt: now() + CHALLENGE_TTL_MS });
      byChallenger.add(challenger.id);
      byDest.add(dest.id);
      toUser.set(dest.id, (toUser.get(dest.id) ?? new Set()).add(challenge.id));
      await publish.room(Room.user(dest.id), { t: 'challenge', d: challenge });
      return ok(challenge);
    },

    async accept(id: string, by: string): Promise<Answer<Game>> {
      const challenge = get(id);
      if (!challenge) return refuseChallenge('not_found', 'no such challenge');
      if (challenge.destUser.id !== by) return refuseChallenge('forbidden', 'only the challenged player can accept');
      drop(challenge);
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
      drop(challenge);
      const closed = { ...plain(challenge), status: how === 'decline' ? ('declined' as const) : ('canceled' as const) };
      await publish.room(Room.user(other.id), {
        t: how === 'decline' ? 'challengeDeclined' : 'challengeCanceled',
        d: closed,
      });
      return ok(closed);
    },

    /** The challenges waiting for `user` to answer (a socket that missed them gets them again). */
    waitingFor(user: string): ChallengeJson[] {
      sweep();
      return [...(toUser.get(user) ?? [])].flatMap((id) => {
        const challenge = open.get(id);
        return challenge ? [plain(challenge)] : [];
      });
    },

    /** Forgets expired challenges; lila-core calls it every minute, so that none waits for a visitor. */
    sweep,

    /** How many challenges are open (expired ones included until swept). */
    get size(): number {
      return open.size;
    },
  };
}
export type Challenges = ReturnType<typeof createChallenges>;
