import { Room, type RoomName } from '../protocol/channels.js';
import type { Endpoint } from '../protocol/client-in.js';
import { canonicalUserId } from '../protocol/game.js';

/** What a WebSocket URL path asks for. */
export type Route = {
  endpoint: Endpoint;
  /** The room the socket joins; authenticated sockets also join `user:<id>`, every socket `site`. */
  room: RoomName;
  /** Only for /play and /user. */
  tokenRequired: boolean;
  /** For /play and /watch, the game id; for /user, the user id. */
  id?: string;
};

const id = '([A-Za-z0-9_-]{1,32})';
const patterns: [RegExp, (m: string) => Route][] = [
  [new RegExp(`^/play/${id}$`), (g) => ({ endpoint: 'play', room: Room.game(g), tokenRequired: true, id: g })],
  [new RegExp(`^/watch/${id}$`), (g) => ({ endpoint: 'watch', room: Room.game(g), tokenRequired: false, id: g })],
  [
    new RegExp(`^/user/${id}$`),
    (u) => ({ endpoint: 'user', room: Room.user(canonicalUserId(u)), tokenRequired: true, id: canonicalUserId(u) }),
  ],
  [/^\/lobby$/, () => ({ endpoint: 'lobby', room: Room.lobby, tokenRequired: false })],
  [/^\/site$/, () => ({ endpoint: 'site', room: Room.site, tokenRequired: false })],
  [
    new RegExp(`^/tournament/${id}$`),
    (t) => ({ endpoint: 'tournament', room: Room.tournament(t), tokenRequired: false, id: t }),
  ],
];

export function route(path: string): Route | undefined {
  for (const [pattern, make] of patterns) {
    const m = pattern.exec(path);
    if (m) return make(m[1] ?? '');
  }
  return undefined;
}

/** A `?token=` query parameter, else a `session` cookie. */
export const tokenFrom = (query: string, cookie: string): string | undefined => tokenSource(query, cookie)?.token;

/**
 * The token and where it came from: a `?token=` query parameter, else a `session` cookie. The
 * cookie is ambient (a browser attaches it whichever page opens the socket), the query is not.
 */
export function tokenSource(query: string, cookie: string): { token: string; from: 'query' | 'cookie' } | undefined {
  const fromQuery = new URLSearchParams(query).get('token');
  if (fromQuery) return { token: fromQuery, from: 'query' };
  for (const part of cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === 'session' && v.length) return { token: decodeCookie(v.join('=')), from: 'cookie' };
  }
  return undefined;
}

/**
 * The `?v=` query parameter of /play and /watch: the last room version the client has, to catch up
 * from. A malformed value is ignored, as if absent.
 */
export function versionFrom(query: string): number | undefined {
  const v = new URLSearchParams(query).get('v');
  return v !== null && /^\d{1,15}$/.test(v) ? Number(v) : undefined;
}

/** A cookie value, percent-decoded when it can be; a malformed escape is kept as sent. */
function decodeCookie(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    // A URIError: the value is not percent-encoded as it should be, and may still be the token.
    return value;
  }
}
