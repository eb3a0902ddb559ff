/**
 * What the client takes from its environment, injectable so that it runs in browsers (the
 * defaults: globalThis's WebSocket, timers and clock) and in Node (where bots and tests pass the
 * `ws` package's WebSocket), and under test (a fake socket and a fake clock). Nothing here is
 * Node-only: the library is bundled for browsers.
 */

/**
 * A handler checked bivariantly, as DOM handlers are: `ws`'s handlers take its own event classes,
 * which carry more than the client reads.
 */
type Handler<E> = { handle(event: E): void }['handle'];

/** The part of the WebSocket API the client uses; the browser's and `ws`'s both fit. */
export type SocketLike = {
  readonly readyState: number;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason?: string }> | null;
  onerror: Handler<unknown> | null;
  send(text: string): void;
  close(code?: number, reason?: string): void;
};
export type SocketConstructor = new (url: string) => SocketLike;

/** WebSocket's readyState values (the same everywhere). */
export const OPEN = 1;

export type TimerHandle = unknown;
export type Clock = {
  /** Milliseconds, monotonic where the platform allows. */
  now(): number;
  setTimeout(run: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
};

type Globals = {
  WebSocket?: SocketConstructor;
  performance?: { now(): number };
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};
const globals = globalThis as unknown as Globals;

export const systemClock: Clock = {
  now: () => (globals.performance ? globals.performance.now() : Date.now()),
  setTimeout: (run, ms) => globals.setTimeout(run, ms),
  clearTimeout: (handle) => globals.clearTimeout(handle),
};

/** The platform's WebSocket; Node 20 has none, so there the caller passes one. */
export function globalWebSocket(): SocketConstructor {
  if (!globals.WebSocket) throw new Error("no global WebSocket here: pass one (in Node, the ws package's)");
  return globals.WebSocket;
}
