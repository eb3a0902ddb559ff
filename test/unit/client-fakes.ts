import type { Clock, SocketLike } from '../../client/index.js';

/** A clock that moves only when a test says so, running each timer that falls due, in order. */
export class FakeClock implements Clock {
  private at = 0;
  private seq = 0;
  private timers = new Map<number, { due: number; run: () => void }>();
  now = () => this.at;
  setTimeout = (run: () => void, ms: number) => {
    this.timers.set(++this.seq, { due: this.at + ms, run });
    return this.seq;
  };
  clearTimeout = (handle: unknown) => void this.timers.delete(handle as number);
  /** Moves time forward by `ms`, running the timers due meanwhile (and those they set, if due). */
  advance(ms: number): void {
    const end = this.at + ms;
    for (;;) {
      const next = [...this.timers.entries()].sort(([a, x], [b, y]) => x.due - y.due || a - b)[0];
      if (!next || next[1].due > end) break;
      this.timers.delete(next[0]);
      this.at = next[1].due;
      next[1].run();
    }
    this.at = end;
  }
  get pending(): number {
    return this.timers.size;
  }
}

/** A socket driven by the test: it opens, receives and closes when told; it records what is sent. */
export class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  closedWith?: number;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  static get last(): FakeSocket {
    return FakeSocket.all[FakeSocket.all.length - 1];
  }
  send(text: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(text);
  }
  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  /** The server side. */
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(frame: unknown): void {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  pong(): void {
    this.receive('0');
  }
  serverClose(code: number): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  /** What was sent, parsed. */
  get frames(): unknown[] {
    return this.sent.map((s) => JSON.parse(s) as unknown);
  }
  query(name: string): string | null {
    return new URL(this.url).searchParams.get(name);
  }
}

/** A `state` frame as a relay sends it, at version `v`. */
export const stateFrame = (v: number) => ({
  t: 'state',
  v,
  d: {
    id: 'abcd1234',
    players: { white: { id: 'w', name: 'W' }, black: { id: 'b', name: 'B' } },
    clock: { limit: 300, increment: 3 },
    clocks: { white: 300, black: 300 },
    moves: [],
    sans: [],
    fen: 'rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1',
    status: 'started',
    winner: null,
    v,
  },
});
