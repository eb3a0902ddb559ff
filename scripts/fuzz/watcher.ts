import WebSocket from 'ws';
import type { GameJson } from '../../protocol/game.js';

/** lila-core/game/reservation.ts's RESERVED_VERSIONS (scripts may not import lila-core). */
export const RESERVED_VERSIONS = 20;

/**
 * A well-behaved spectator of one game: it reads every frame and checks that the room's versions
 * are contiguous (each versioned frame is the last version plus one: no gap, no duplicate). A
 * socket closed under it comes back with `?v=<last>`, as the protocol asks; after `resync` the next
 * `state` starts the count again. It sends nothing but pings, so no rate limit ever applies to it.
 */
export class Watcher {
  lastV: number | undefined;
  /** Versioned frames seen. */
  events = 0;
  reconnects = 0;
  /** Close codes of its sockets, and the last frames it read: what a report shows when it disagrees. */
  readonly closes: number[] = [];
  readonly recent: string[] = [];
  resyncs = 0;
  ended = false;
  readonly problems: string[] = [];
  private ws: WebSocket | undefined;
  private stopped = false;
  private awaitingState = true;
  private pongs: (() => void)[] = [];
  private endWaiters: (() => void)[] = [];

  constructor(
    readonly gameId: string,
    private readonly relayUrl: () => string,
  ) {}

  start(): void {
    const query = this.lastV === undefined ? '' : `?v=${this.lastV}`;
    // With `?v=`, the events after it come without a state (unless the relay says `resync`).
    this.awaitingState = this.lastV === undefined;
    const ws = new WebSocket(`${this.relayUrl()}/watch/${this.gameId}${query}`);
    this.ws = ws;
    ws.on('message', (data, isBinary) => this.read(isBinary ? undefined : (data as Buffer).toString()));
    ws.on('error', () => undefined); // the close that follows says what happened
    ws.on('close', (code) => {
      if (this.stopped) return;
      this.closes.push(code);
      this.reconnects++;
      setTimeout(() => !this.stopped && this.start(), 100 + Math.random() * 200);
    });
  }

  private read(text: string | undefined): void {
    this.recent.push(text?.slice(0, 120) ?? '(binary)');
    if (this.recent.length > 6) this.recent.shift();
    let frame: unknown;
    try {
      frame = text === undefined ? undefined : JSON.parse(text);
    } catch {
      frame = undefined;
    }
    if (frame === undefined) return void this.problems.push(`a frame that is not JSON text: ${text ?? '(binary)'}`);
    if (frame === 0) return void this.pongs.shift()?.();
    const { t, v, d } = frame as { t?: unknown; v?: unknown; d?: { status?: unknown } };
    if (t === 'resync') return void (this.resyncs++, (this.awaitingState = true));
    // A game that ended while this socket was away comes as a finished state after a resync, with no `end`.
    if (t === 'end' || (t === 'state' && d?.status !== 'started')) {
      this.ended = true;
      this.endWaiters.splice(0).forEach((done) => done());
    }
    if (typeof v !== 'number') return;
    if (t === 'state') {
      this.lastV = v;
      this.awaitingState = false;
      return;
    }
    this.events++;
    if (this.lastV === undefined || this.awaitingState)
      return void this.problems.push(`version ${v} (${String(t)}) before any state`);
    if (v !== this.lastV + 1)
      this.problems.push(`${v <= this.lastV ? 'duplicate' : 'gap'}: version ${v} (${String(t)}) after ${this.lastV}`);
    this.lastV = Math.max(v, this.lastV);
  }

  /** Resolves once the relay answered a ping: every event published before it is here by then. */
  settled(timeoutMs = 5000): Promise<boolean> {
    return new Promise((resolve) => {
      const ws = this.ws;
      if (!ws || ws.readyState !== WebSocket.OPEN) return resolve(false);
      const answered = () => (clearTimeout(timer), resolve(true));
      const timer = setTimeout(() => {
        this.pongs = this.pongs.filter((waiter) => waiter !== answered);
        resolve(false);
      }, timeoutMs);
      this.pongs.push(answered);
      ws.send('null');
    });
  }

  /** Resolves when the game's `end` has been seen (true), or after the timeout (false). */
  end(timeoutMs: number): Promise<boolean> {
    if (this.ended) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.endWaiters.push(() => (clearTimeout(timer), resolve(true)));
    });
  }

  /** Its state in a line, for a report. */
  describe(): string {
    const open = this.ws?.readyState === WebSocket.OPEN ? 'open' : 'not open';
    return `${open}, ${this.events} events, closes [${this.closes.join(',')}], ${this.resyncs} resyncs, last frames ${this.recent.join(' | ')}`;
  }

  stop(): void {
    this.stopped = true;
    this.ws?.close();
  }
}

/**
 * A watched game at the end of a run, against its saved JSON: what its spectator found wrong (gaps,
 * duplicates), and its last version against the game's once it has ended. A finished game read
 * again after leaving memory resumes past its reserved versions, and lila-core publishes nothing
 * for them (relays that ask get them as {"v":N}): a spectator of a quiet room stays behind by at
 * most the reservation. That is `resumedBehind`, counted, not a problem.
 */
export function spectatorVerdict(
  game: Pick<GameJson, 'id' | 'v' | 'status'>,
  watcher: Watcher,
): { problems: string[]; resumedBehind: boolean } {
  const problems = watcher.problems.map((problem) => `${game.id} (spectator): ${problem}`);
  const behind = game.v - (watcher.lastV ?? 0);
  const ended = game.status !== 'started' && watcher.ended;
  const resumedBehind = ended && behind > 0 && behind <= RESERVED_VERSIONS;
  if (ended && !resumedBehind && behind !== 0)
    problems.push(
      `${game.id}: the spectator's last version is ${watcher.lastV}, the game's ${game.v} (${game.status}; spectator ${watcher.describe()})`,
    );
  return { problems, resumedBehind };
}
