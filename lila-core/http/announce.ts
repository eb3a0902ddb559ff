import type { Router } from 'express';
import express from 'express';
import { Room } from '../../protocol/channels.js';
import { Announcement } from '../../protocol/http.js';
import type { Publisher } from '../publish.js';
import { requireSession, type SessionKeys } from './auth.js';
import { HttpError, parseBody } from './errors.js';

export type AnnounceDeps = {
  keys: SessionKeys;
  publish: Publisher;
  /** User ids allowed to announce (`ADMINS`). */
  admins: ReadonlySet<string>;
};

/** `POST /api/admin/announce`: a message from the operators to every socket. */
export function announceRoutes(d: AnnounceDeps): Router {
  const router = express.Router();
  router.post('/api/admin/announce', async (req, res) => {
    const me = requireSession(d.keys, req);
    if (!d.admins.has(me.userId)) throw new HttpError(403, 'forbidden', 'only an admin may announce');
    const { msg } = parseBody(Announcement, req.body);
    // Every socket is in `site`, on every relay.
    await d.publish.room(Room.site, { t: 'announce', d: { msg } });
    res.json({ ok: true });
  });
  return router;
}
