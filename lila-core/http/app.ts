import express, { type Express, type RequestHandler } from 'express';
import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import { GameId } from '../../protocol/game.js';
import { AccountCreate, ChallengeCreate, UserGamesQuery } from '../../protocol/http.js';
import type { UserGamesJson } from '../../protocol/user.js';
import type { Logger } from '../../src/log.js';
import type { Tap } from '../../src/tap.js';
import type { ChallengeRefusalCode, Challenges } from '../challenges.js';
import { toJson } from '../game/game.js';
import type { Games } from '../game/games.js';
import { toPgn } from '../game/pgn.js';
import type { Refusal } from '../result.js';
import type { Health } from '../health.js';
import type { Accounts } from '../users/accounts.js';
import type { Profiles } from '../users/profiles.js';
import type { Tournaments } from '../tournament/tournaments.js';
import type { Revocations } from '../users/revocations.js';
import { announceRoutes, type AnnounceDeps } from './announce.js';
import { requireSession } from './auth.js';
import { errorHandler, HttpError, notFound, parseBody } from './errors.js';
import { sessionRoutes } from './sessions.js';
import { tapRequests } from './tap.js';
import { tournamentRoutes } from './tournaments.js';
import { usersStatusRoutes, type UsersStatusDeps } from './users-status.js';

/** A refused challenge's HTTP status, from its code: lila-core says why, the HTTP edge how loud. */
const CHALLENGE_STATUS: Record<ChallengeRefusalCode, number> = {
  self_challenge: 400,
  rated_needs_account: 400,
  not_found: 404,
  forbidden: 403,
  too_many_challenges: 429,
};
const challengeRefused = (refusal: Refusal<ChallengeRefusalCode>) =>
  new HttpError(CHALLENGE_STATUS[refusal.code], refusal.code, refusal.message);

/** Games in progress listed at once: a screenful to pick from. */
const LIVE_GAMES_LISTED = 20;

export type HttpDeps = {
  accounts: Accounts;
  challenges: Challenges;
  games: Games;
  profiles: Profiles;
  /** Revoked sessions: refused by every route, and `DELETE /api/session` adds to them. */
  revocations: Revocations;
  secret: string;
  sessionTtlSeconds: number;
  now: () => number;
  health: () => Promise<Health>;
  log: Logger;
  tap?: Tap;
  /** Prometheus metrics, at GET /metrics. */
  metrics: Registry;
  /** Who is online and who plays, for `GET /api/users/status`. */
  status: UsersStatusDeps;
  /** Announcements from the operators. */
  announce: Omit<AnnounceDeps, 'keys'>;
  /** Arena tournaments (lila-core/tournament/). */
  tournaments?: Tournaments;
};

export function createHttpApp(d: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // First, so that it also sees the requests the JSON parser refuses.
  if (d.tap) app.use(tapRequests(d.tap, d.secret));
  app.use(express.json({ limit: '16kb', strict: false }));

  const keys = { secret: d.secret, isRevoked: d.revocations.isRevoked };

  app.get('/metrics', async (_req, res) => {
    res.type(d.metrics.contentType).send(await d.metrics.metrics());
  });

  // Readiness: Redis and MongoDB reachable, not stopping. Liveness: the process answers at all.
  const ready: RequestHandler = async (_req, res) => {
    const { ok, body } = await d.health();
    res.status(ok ? 200 : 503).json(body);
  };
  app.get(['/health', '/health/ready'], ready);
  app.get('/health/live', (_req, res) => res.json({ live: true }));

  app.post('/api/account', async (req, res) => {
    const { name, password } = parseBody(AccountCreate, req.body);
    const user = await d.accounts.create(name, password);
    if (!user) throw new HttpError(409, 'name_taken', `the name ${name} is taken`);
    res.status(201).json({ user });
  });

  app.use(sessionRoutes({ ...keys, ...d }));

  app.post('/api/challenge/:userId', async (req, res) => {
    const me = requireSession(keys, req);
    const { clock, color, rated } = parseBody(ChallengeCreate, req.body);
    const dest = await d.accounts.find(String(req.params.userId));
    if (!dest) throw new HttpError(404, 'not_found', 'no such user');
    const created = await d.challenges.create({ id: me.userId, name: me.name }, dest, clock, color, rated);
    if (!created.ok) throw challengeRefused(created);
    res.status(201).json({ challenge: created.value });
  });

  app.post('/api/challenge/:id/accept', async (req, res) => {
    const me = requireSession(keys, req);
    const accepted = await d.challenges.accept(String(req.params.id), me.userId);
    if (!accepted.ok) throw challengeRefused(accepted);
    res.status(201).json({ game: toJson(accepted.value, d.now()) });
  });

  for (const how of ['decline', 'cancel'] as const)
    app.post(`/api/challenge/:id/${how}`, async (req, res) => {
      const me = requireSession(keys, req);
      const closed = await d.challenges.close(String(req.params.id), me.userId, how);
      if (!closed.ok) throw challengeRefused(closed);
      res.json({ challenge: closed.value });
    });

  const gameOr404 = async (id: string) => {
    const game = GameId.safeParse(id).success ? await d.games.read(id, (g) => g) : undefined;
    if (!game) throw new HttpError(404, 'not_found', 'no such game');
    return game;
  };

  // The lobby's games to watch.
  app.get('/api/games/live', (_req, res) => {
    const at = d.now();
    res.json({ games: d.games.current(LIVE_GAMES_LISTED).map((g) => toJson(g, at)) });
  });

  app.get('/api/game/:id', async (req, res) => {
    res.json(toJson(await gameOr404(String(req.params.id)), d.now()));
  });

  app.get('/api/game/:id/pgn', async (req, res) => {
    const site = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    res.type('application/x-chess-pgn').send(toPgn(await gameOr404(String(req.params.id)), site));
  });

  const userOr404 = async (id: string) => {
    const user = await d.profiles.find(id);
    if (!user) throw new HttpError(404, 'not_found', 'no such user');
    return user;
  };

  app.get('/api/user/:id', async (req, res) => {
    res.json(await userOr404(String(req.params.id)));
  });

  app.get('/api/user/:id/games', async (req, res) => {
    const { page } = parseBody(UserGamesQuery, req.query);
    const user = await userOr404(String(req.params.id));
    const { games, more } = await d.games.byUser(user.id, page);
    const at = d.now();
    res.json({ games: games.map((g) => toJson(g, at)), page, next: more ? page + 1 : null } satisfies UserGamesJson);
  });

  app.use(usersStatusRoutes(d.status));
  app.use(announceRoutes({ ...d.announce, keys }));
  if (d.tournaments) app.use(tournamentRoutes({ tournaments: d.tournaments, keys }));
  app.use(notFound);
  app.use(errorHandler(d.log));
  return app;
}

/** Serves `app` on 127.0.0.1 only (nginx is in front); resolves once it listens. */
export const listen = (app: Express, port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1', () => resolve(server));
    server.once('error', reject);
  });
