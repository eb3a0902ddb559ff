import type { Router } from 'express';
import express from 'express';
import { UsersStatusQuery } from '../../protocol/http.js';
import { parseBody } from './errors.js';

export type UsersStatusDeps = {
  isOnline: (userId: string) => boolean;
  isPlaying: (userId: string) => boolean;
};

/** `GET /api/users/status?ids=a,b`: whether each user is online, and playing. */
export function usersStatusRoutes(d: UsersStatusDeps): Router {
  const router = express.Router();
  router.get('/api/users/status', (req, res) => {
    const { ids } = parseBody(UsersStatusQuery, req.query);
    res.json(ids.map((id) => ({ id, online: d.isOnline(id), playing: d.isPlaying(id) })));
  });
  return router;
}
