import type { Router } from 'express';
import express from 'express';
import { StandingsQuery, TournamentCreate } from '../../protocol/http.js';
import type { Refusal } from '../result.js';
import type { TournamentRefusal, Tournaments } from '../tournament/tournaments.js';
import { requireSession, type SessionKeys } from './auth.js';
import { HttpError, parseBody } from './errors.js';

const STATUS: Record<TournamentRefusal, number> = { not_found: 404, finished: 400, account_needed: 403 };
const refused = (refusal: Refusal<TournamentRefusal>) =>
  new HttpError(STATUS[refusal.code], refusal.code, refusal.message);

/**
 * The arena API: create (signed in), join and withdraw (signed in), the list of arenas created or
 * started, one arena with a page of its standings, and one's own place in it. Standings are computed at most once a
 * second per page (tournaments.ts) and may be cached as long by anything in front.
 */
export function tournamentRoutes(d: { tournaments: Tournaments; keys: SessionKeys }): Router {
  const router = express.Router();
  const me = (req: express.Request) => {
    const session = requireSession(d.keys, req);
    return { id: session.userId, name: session.name };
  };

  router.post('/api/tournament', async (req, res) => {
    const by = me(req);
    const created = await d.tournaments.create(by, parseBody(TournamentCreate, req.body));
    if (!created.ok) throw refused(created);
    res.status(201).json({ tournament: created.value });
  });

  for (const how of ['join', 'withdraw'] as const)
    router.post(`/api/tournament/:id/${how}`, async (req, res) => {
      const user = me(req);
      const id = String(req.params.id);
      const done = how === 'join' ? await d.tournaments.join(id, user) : await d.tournaments.withdraw(id, user.id);
      if (!done.ok) throw refused(done);
      res.json({ tournament: done.value });
    });

  router.get('/api/tournament', (_req, res) => {
    res.json({ tournaments: d.tournaments.list() });
  });

  router.get('/api/tournament/:id/me', async (req, res) => {
    const user = me(req);
    const found = await d.tournaments.place(String(req.params.id), user.id);
    if (!found) throw new HttpError(404, 'not_found', 'no such tournament');
    res.set('cache-control', 'private, no-store').json(found);
  });

  router.get('/api/tournament/:id', async (req, res) => {
    const { page } = parseBody(StandingsQuery, req.query);
    const found = await d.tournaments.page(String(req.params.id), page);
    if (!found) throw new HttpError(404, 'not_found', 'no such tournament');
    res.set('cache-control', 'public, max-age=1').json(found);
  });
  return router;
}
