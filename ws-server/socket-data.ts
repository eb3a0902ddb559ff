import type { WebSocket } from 'uWebSockets.js';
import type { RoomName } from '../protocol/channels.js';
import type { Endpoint } from '../protocol/client-in.js';
import type { Role } from './audience.js';
import type { SocketLimits } from './rate-limit.js';
import type { Route } from './routes.js';

/** What the relay knows of one socket, set at its upgrade. */
export type SocketData = {
  sid: string;
  user: string | null;
  /** The URL path, without the query (which may hold a token). */
  path: string;
  route: Route;
  /** Rooms whose subscription this socket holds (`site` is held by the relay itself). */
  rooms: RoomName[];
  /** uWS topics: its rooms, a game room as the topic of the socket's role. */
  topics: string[];
  /** /play, /watch and /lobby: what the socket catches up with when it opens, then undefined. */
  game?: { role: Role; state: Buffer; stateV?: number; asked?: number };
  /** The socket's rate limits (rate-limit.ts), written in place at each frame. */
  limits: SocketLimits;
  /** The session id of its token (revocations.ts closes the socket when it is revoked). */
  session?: string;
  closed: boolean;
};
export type Socket = WebSocket<SocketData>;

/** Endpoints whose sockets lila-core admits (a game's state, the lobby's seeks, a tournament's version) and counts. */
export const joinsThroughCore = (endpoint: Endpoint): endpoint is 'play' | 'watch' | 'lobby' | 'tournament' =>
  endpoint === 'play' || endpoint === 'watch' || endpoint === 'lobby' || endpoint === 'tournament';
