import type { Router } from 'express';
import express from 'express';
import { Room } from '../../protocol/channels.js';
import { Announcement, UsersStatusQuery } from '../../protocol/http.js';
import type { Publisher } from '../publish.js';
import { requireSession } from './auth.js';
import { HttpError, parseBody } from './errors.js';

export type SiteDeps = {
  secret: string;
  publish: Publisher;
  /** User ids allowed to announce (`ADMINS`). */
  admins: ReadonlySet<string>;
  isOnline: (userId: string) => boolean;
  isPlaying: (userId: string) => boolean;
};

/** Site-wide routes: who is online and playing, and announcements from the operators. */
export function siteRoutes(d: SiteDeps): Router {
  const router = express.Router();

  router.get('/api/users/status', (req, res) => {
    const { ids } = parseBody(UsersStatusQuery, req.query);
    res.json(ids.map((id) => ({ id, online: d.isOnline(id), playing: d.isPlaying(id) })));
  });

  router.post('/api/admin/announce', async (req, res) => {
    const me = requireSession(d.secret, req);
    if (!d.admins.has(me.userId)) throw new HttpError(403, 'forbidden', 'only an admin may announce');
    const { msg } = parseBody(Announcement, req.body);
    // Every socket is in `site`, on every relay.
    await d.publish.room(Room.site, { t: 'announce', d: { msg } });
    res.json({ ok: true });
  });

  return router;
}
