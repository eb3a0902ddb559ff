import type { Chess } from 'chessops/chess';
import WebSocket from 'ws';
import { createClient, type SocketClient, type Timing } from '../../client/index.js';
import type { Api, Player } from '../fuzz/api.js';
import { legalUcis, positionAfter, random, uciOfSan } from '../fuzz/chess.js';
import { seedOf } from '../fuzz/source.js';
import { Counter } from '../fuzz/tally.js';

/**
 * The chaos run's players: pairs of accounts that play game after game through nginx, each side
 * on its own socket client (client/: reconnects with `?v=`, sends an unacknowledged move again
 * with the same ack id, resyncs on a gap), as a browser would. Each game opens with a real line
 * (../shared/data/openings), goes on with random legal moves, and is resigned past a number of
 * plies. Every move acknowledged to its player is noted with its ply: at the end, the saved game
 * must hold exactly those (checks.ts).
 */
export type ChaosGame = {
  id: string;
  /** Ply (0-based) → the move its player was acknowledged. */
  acked: Map<number, string>;
  /** Ply → every move a bot sent for it (one, unless it was refused and chosen again). */
  sent: Map<number, Set<string>>;
  /** Refusals a correct server never sends to these bots (a move on its turn, legal in its position). */
  refusals: string[];
  end?: { status: string; winner: string | null };
};

/** The bots' clock: long enough that no game ends on time while lila-core is away. */
const CLOCK = { limit: 1800, increment: 5 };
/** Refusals of a move a bot sent on its turn, legal where it stood: a resend played as a new move. */
const DUPLICATE_SIGNS = new Set(['illegal_move', 'not_your_turn']);

type Seat = {
  color: 'white' | 'black';
  player: Player;
  client?: SocketClient;
  moves: string[];
  position?: Chess;
  /** Ack id → the ply and move it stamped. */
  stamped: Map<number, { ply: number; uci: string }>;
  timer?: NodeJS.Timeout;
  opens: number;
  /**
   * The ply of this side's last move, until it is seen played: its ack may come before its event
   * (they travel on different channels, and a relay repairs a room's gap after the fact), and the
   * side must not take the position before it for its turn again.
   */
  awaiting?: number;
};

export class ChaosBots {
  readonly games: ChaosGame[] = [];
  /** Every error frame the bots got, by code (`unavailable` is expected while a process is away). */
  readonly errors = new Counter();
  readonly problems: string[] = [];
  /** When each acknowledgement came (ms since the epoch), in order. */
  readonly ackTimes: number[] = [];
  reconnects = 0;
  resyncs = 0;
  private stopping = false;
  private readonly loops: Promise<void>[] = [];
  private readonly resigners = new Set<() => void>();
  /** Each game still on, to close its sockets when the run gives up on it. */
  private readonly closers = new Set<() => void>();

  constructor(
    private readonly o: {
      api: Api;
      /** `ws://<edge>`: every socket goes through nginx. */
      socketBase: string;
      seed: number;
      pairs: [Player, Player][];
      lines: string[][];
      timing?: Partial<Timing>;
      started: (gameId: string) => void;
      /** Its players are done with it (ended, or given up on at the end of the run). */
      ended: (gameId: string) => void;
    },
  ) {}

  start(): void {
    this.o.pairs.forEach((pair, i) =>
      this.loops.push(this.loop(pair).catch((err: Error) => void this.problems.push(`bot pair ${i}: ${err.message}`))),
    );
  }

  private async loop([white, black]: [Player, Player]): Promise<void> {
    while (!this.stopping) {
      const number = this.games.length;
      const id = await this.newGame(white, black);
      if (id === undefined) return;
      const game: ChaosGame = { id, acked: new Map(), sent: new Map(), refusals: [] };
      this.games.push(game);
      this.o.started(id);
      const choose = random(seedOf(this.o.seed, 0xc4a0, number));
      const line = this.o.lines[Math.floor(choose() * this.o.lines.length)] ?? [];
      await this.play(game, line, line.length + 20 + Math.floor(choose() * 80), choose, [white, black]);
    }
  }

  /**
   * A challenge made and accepted, each call tried again until it is answered (lila-core or nginx
   * may be away); an accept whose answer was lost is not accepted twice: a new challenge is made.
   */
  private async newGame(white: Player, black: Player): Promise<string | undefined> {
    const { api } = this.o;
    const retry = async (call: () => Promise<{ status: number; json: unknown }>) => {
      while (!this.stopping) {
        const res = await call().catch(() => ({ status: 0, json: undefined }));
        if (res.status && res.status < 500) return res;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      return undefined;
    };
    while (!this.stopping) {
      const made = await retry(() =>
        api.call('POST', `/api/challenge/${black.id}`, { clock: CLOCK, color: 'white' }, white.token),
      );
      const challenge = (made?.json as { challenge?: { id: string } } | undefined)?.challenge;
      if (!made) return undefined;
      if (made.status !== 201 || !challenge) throw new Error(`challenge: ${made.status} ${JSON.stringify(made.json)}`);
      const accepted = await retry(() => api.call('POST', `/api/challenge/${challenge.id}/accept`, {}, black.token));
      const game = (accepted?.json as { game?: { id: string } } | undefined)?.game;
      if (accepted?.status === 201 && game) return game.id;
    }
    return undefined;
  }

  private play(game: ChaosGame, line: string[], maxPlies: number, choose: () => number, players: Player[]) {
    return new Promise<void>((done) => {
      let over = false;
      let resigning = false;
      const seats: Seat[] = players.map((player, i) => ({
        color: i === 0 ? 'white' : 'black',
        player,
        moves: [],
        stamped: new Map(),
        opens: 0,
      }));
      const finish = () => {
        if (over) return;
        over = true;
        this.resigners.delete(resignNow);
        this.closers.delete(finish);
        for (const seat of seats) {
          clearTimeout(seat.timer);
          seat.client?.close();
        }
        this.o.ended(game.id);
        done();
      };
      /** The side with a move in flight resigns after it, on the same socket; else white. */
      const resignNow = () => {
        if (over) return;
        resigning = true;
        const seat = seats.find((s) => s.client?.pendingMoves.length) ?? seats[0];
        seat.client?.send({ t: 'resign' });
      };
      this.resigners.add(resignNow);
      this.closers.add(finish);

      const turn = (seat: Seat) => {
        const { position, client } = seat;
        if (over || resigning || !position || !client || position.turn !== seat.color) return;
        if (seat.timer || client.pendingMoves.length) return;
        if (seat.awaiting !== undefined && seat.moves.length <= seat.awaiting) return;
        seat.timer = setTimeout(
          () => {
            seat.timer = undefined;
            const ply = seat.moves.length;
            if (over || resigning || seat.position !== position || position.turn !== seat.color) return;
            if (client.pendingMoves.length) return;
            if (ply >= maxPlies || this.stopping) return resignNow();
            const fromLine = ply < line.length ? uciOfSan(position, line[ply]) : undefined;
            const legal = legalUcis(position);
            const uci = fromLine ?? legal[Math.floor(choose() * legal.length)];
            if (!uci) return;
            game.sent.set(ply, (game.sent.get(ply) ?? new Set()).add(uci));
            seat.stamped.set(client.move(uci), { ply, uci });
            seat.awaiting = ply;
          },
          50 + Math.floor(choose() * 250),
        );
      };

      const onFrame = (seat: Seat, frame: { t?: string; d?: unknown }) => {
        switch (frame.t) {
          case 'state':
          case 'reload': {
            const d = frame.d as { moves: string[]; status: string; winner: string | null };
            seat.moves = [...d.moves];
            seat.position = positionAfter(seat.moves);
            // Ended while this socket was away, and its `end` is past the relay's history.
            if (d.status !== 'started') return ((game.end ??= { status: d.status, winner: d.winner }), finish());
            break;
          }
          case 'move': {
            const { ply, uci } = frame.d as { ply: number; uci: string };
            seat.moves = [...seat.moves.slice(0, ply - 1), uci];
            seat.position = positionAfter(seat.moves);
            if (!seat.position) this.problems.push(`${game.id}: move ${uci} at ply ${ply} is not legal here`);
            break;
          }
          case 'ack': {
            const stamped = seat.stamped.get(frame.d as number);
            if (!stamped) break;
            // A second ack of one move (a resend played once) is expected: noted once.
            if (!game.acked.has(stamped.ply)) this.ackTimes.push(Date.now());
            const before = game.acked.get(stamped.ply);
            if (before !== undefined && before !== stamped.uci)
              game.refusals.push(`ply ${stamped.ply + 1}: acked ${before}, then ${stamped.uci}`);
            game.acked.set(stamped.ply, stamped.uci);
            break;
          }
          case 'error': {
            const { code, message } = frame.d as { code: string; message: string };
            this.errors.add(code);
            if (DUPLICATE_SIGNS.has(code))
              game.refusals.push(
                `${seat.color}: ${code} (${message}) with [${[...seat.stamped.values()].at(-1)?.uci}] pending`,
              );
            // A resignation refused while the stack heals is tried again.
            else if (code === 'unavailable' && resigning) setTimeout(resignNow, 500);
            break;
          }
          case 'end': {
            const { status, winner } = frame.d as { status: string; winner: string | null };
            game.end = { status, winner };
            return finish();
          }
        }
        turn(seat);
      };

      for (const seat of seats) {
        const client = createClient({
          url: `${this.o.socketBase}/play/${game.id}`,
          token: seat.player.token,
          WebSocket,
          random: choose,
          timing: this.o.timing,
        });
        seat.client = client;
        client.on('frame', (frame) => onFrame(seat, frame as { t?: string; d?: unknown }));
        client.on('status', (status) => {
          if (status !== 'open') return;
          if (seat.opens++ > 0) this.reconnects++;
          turn(seat);
        });
        client.on('resync', () => this.resyncs++);
        // A refused move was not played: the side chooses again.
        client.on('refused', () => ((seat.awaiting = undefined), turn(seat)));
      }
    });
  }

  /**
   * No new game; every game still on is resigned. Resolves once all have ended or, at the timeout,
   * with the sockets of those still on closed (they have no `end`: the checks call them stuck).
   */
  async finish(timeoutMs: number): Promise<void> {
    this.stopping = true;
    this.resigners.forEach((resign) => resign());
    // A resignation is not sent again by the client as a move is: one lost with its socket is sent anew.
    const again = setInterval(() => this.resigners.forEach((resign) => resign()), 3000);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.loops), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    clearInterval(again);
    this.closers.forEach((close) => close());
    await Promise.all(this.loops);
  }
}
