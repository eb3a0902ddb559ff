import type { RequestHandler } from 'express';
import { redactSecrets, type Tap } from '../../src/tap.js';
import { verifyToken } from '../../src/token.js';
import { requestToken } from './auth.js';

/**
 * Records every API call once answered: method, path, status, the caller's user id (never the
 * token), and the JSON body and response with passwords and tokens redacted.
 */
export function tapRequests(tap: Tap, secret: string): RequestHandler {
  return (req, res, next) => {
    const path = req.path;
    let response: unknown = null;
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      response = body;
      return json(body);
    };
    res.on('finish', () => {
      const token = requestToken(req);
      const verified = token === undefined ? undefined : verifyToken(secret, token);
      tap({
        dir: 'http',
        method: req.method,
        path,
        status: res.statusCode,
        user: verified?.ok ? verified.session.userId : null,
        body: redactSecrets(req.body),
        response: redactSecrets(response),
      });
    });
    next();
  };
}
