/** The socket client: one module for browsers (bundled) and for Node (bots and tests). */
export {
  createClient,
  type ClientEvents,
  type ClientOptions,
  type ClientStatus,
  type SocketClient,
  type Sendable,
} from './socket.js';
export type { Clock, SocketConstructor, SocketLike } from './deps.js';
export { DEFAULT_TIMING, type Timing } from './timing.js';
export type { MoveData } from './acks.js';
export type { Frame } from './versions.js';
