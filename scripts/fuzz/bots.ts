import { parseUci } from 'chessops/util';
import type { Chess } from 'chessops/chess';
import WebSocket from 'ws';
import type { Api, Player } from './api.js';
import { legalUcis, positionAfter, random, uciOfSan } from './chess.js';
import { seedOf } from './source.js';

/**
 * Well-behaved players: pairs of accounts that play game after game while the fuzzer runs, each
 * game from a real opening line (../shared/data/openings), then random legal moves, until the
 * rules end it or, past a number of plies, the side to move resigns. Each side plays on its own
 * socket, usually on different relays; a side thinks 30–230 ms per move, stamps each move with an
 * ack id and measures the time to its ack. They behave as the protocol asks (reconnect with `?v=`,
 * send an unacknowledged move again with the same id), so any error frame they get is a finding.
 */
export type BotGame = {
  id: string;
  /** The moves as the bots saw them played. */
  moves: string[];
  /** As the `end` frame said, once it came. */
  end?: { status: string; winner: string | null };
};

const CLOCK = { limit: 1800, increment: 5 };

/** One side of a bot game: its socket, and the game as that socket saw it. */
type Seat = {
  color: 'white' | 'black';
  player: Player;
  relay: string;
  ws?: WebSocket;
  lastV?: number;
  moves: string[];
  position?: Chess;
  /** The move sent and not yet acknowledged. */
  pending?: { uci: string; a: number; sentAt: number };
  timer?: NodeJS.Timeout;
};

export class Bots {
  readonly games: BotGame[] = [];
  readonly ackMs: number[] = [];
  readonly problems: string[] = [];
  reconnects = 0;
  private stopping = false;
  private readonly active = new Set<Promise<void>>();
  private finishing: (() => void)[] = [];

  constructor(
    private readonly o: {
      api: Api;
      relayUrls: string[];
      seed: number;
      pairs: [Player, Player][];
      lines: string[][];
      /** A new game started: the runner watches it. */
      started: (gameId: string) => void;
    },
  ) {}

  start(): void {
    this.o.pairs.forEach((pair, i) => {
      const loop = this.loop(pair, i).catch((err: Error) => void this.problems.push(`bot pair ${i}: ${err.message}`));
      this.active.add(loop);
      void loop.finally(() => this.active.delete(loop));
    });
  }

  private async loop([white, black]: [Player, Player], pair: number): Promise<void> {
    for (let round = 0; !this.stopping; round++) {
      const number = this.games.length;
      const id = await this.o.api.game(white, black, CLOCK);
      const game: BotGame = { id, moves: [] };
      this.games.push(game);
      this.o.started(id);
      const choose = random(seedOf(this.o.seed, 0xb07, number));
      const line = this.o.lines[Math.floor(choose() * this.o.lines.length)] ?? [];
      const maxPlies = line.length + 20 + Math.floor(choose() * 100);
      const relays = this.o.relayUrls;
      await this.play(game, line, maxPlies, choose, [
        { color: 'white', player: white, relay: relays[(pair + round) % relays.length], moves: [] },
        // One game in four has both players on one relay.
        {
          color: 'black',
          player: black,
          relay: relays[(pair + round + (number % 4 ? 1 : 0)) % relays.length],
          moves: [],
        },
      ]);
    }
  }

  private play(game: BotGame, line: string[], maxPlies: number, choose: () => number, seats: Seat[]): Promise<void> {
    return new Promise((done) => {
      let over = false;
      /** One resignation per game: a second would be refused (game_over), rightly. */
      let resigned = false;
      const resign = (seat: Seat | undefined) => {
        if (resigned || !seat || seat.ws?.readyState !== WebSocket.OPEN) return;
        resigned = true;
        seat.ws.send(JSON.stringify({ t: 'resign' }));
      };
      const finish = () => {
        if (over) return;
        over = true;
        for (const seat of seats) {
          clearTimeout(seat.timer);
          seat.ws?.close();
        }
        done();
      };
      // The seat with a move in flight resigns after it, on the same socket: the move is not refused.
      this.finishing.push(
        () => !over && resign(seats.find((s) => s.pending) ?? seats.find((s) => s.ws?.readyState === WebSocket.OPEN)),
      );

      const turn = (seat: Seat) => {
        const { position } = seat;
        if (over || resigned || !position || seat.pending || position.turn !== seat.color || seat.timer) return;
        seat.timer = setTimeout(
          () => {
            seat.timer = undefined;
            const ply = seat.moves.length;
            if (over || seat.position !== position || position.turn !== seat.color) return;
            if (seat.ws?.readyState !== WebSocket.OPEN) return;
            if (ply >= maxPlies || this.stopping) return resign(seat);
            const fromLine = ply < line.length ? uciOfSan(position, line[ply]) : undefined;
            const legal = legalUcis(position);
            const uci = fromLine ?? legal[Math.floor(choose() * legal.length)];
            if (!uci) return;
            seat.pending = { uci, a: ply + 1, sentAt: Date.now() };
            seat.ws.send(JSON.stringify({ t: 'move', d: { u: uci, a: ply + 1 } }));
          },
          30 + Math.floor(choose() * 200),
        );
      };

      const onFrame = (seat: Seat, frame: Record<string, unknown>) => {
        const { t, v, d } = frame as { t?: string; v?: number; d?: unknown };
        if (typeof v === 'number') seat.lastV = v;
        if (t === 'state' || t === 'reload') {
          seat.moves = [...(d as { moves: string[] }).moves];
          seat.position = positionAfter(seat.moves);
          if ((d as { status: string }).status !== 'started') return finish();
        } else if (t === 'move') {
          const uci = (d as { uci: string }).uci;
          const move = parseUci(uci);
          seat.moves.push(uci);
          if (move && seat.position?.isLegal(move)) seat.position.play(move);
          else {
            this.problems.push(
              `bot ${seat.color} of ${game.id}: move ${uci} is not legal after ${seat.moves.join(' ')}`,
            );
            seat.position = undefined;
          }
          if (seat.moves.length > game.moves.length) game.moves = [...seat.moves];
        } else if (t === 'ack') {
          if (seat.pending && d === seat.pending.a) {
            this.ackMs.push(Date.now() - seat.pending.sentAt);
            seat.pending = undefined;
          }
        } else if (t === 'error') {
          const { code, message } = d as { code: string; message: string };
          this.problems.push(`bot ${seat.color} of ${game.id}: error ${code}: ${message}`);
          // Unavailable: the same move again, a moment later, as a client does.
          const again = seat.pending;
          if (code === 'unavailable' && again)
            setTimeout(() => seat.ws?.send(JSON.stringify({ t: 'move', d: { u: again.uci, a: again.a } })), 200);
        } else if (t === 'end') {
          const { status, winner } = d as { status: string; winner: string | null };
          game.end = { status, winner };
          return finish();
        }
        turn(seat);
      };

      const connect = (seat: Seat) => {
        if (over) return;
        const query = `token=${encodeURIComponent(seat.player.token)}${seat.lastV === undefined ? '' : `&v=${seat.lastV}`}`;
        const ws = new WebSocket(`${seat.relay}/play/${game.id}?${query}`);
        seat.ws = ws;
        ws.on('open', () => {
          // A move not yet acknowledged goes again, with the same ack id: it is played once.
          if (seat.pending) ws.send(JSON.stringify({ t: 'move', d: { u: seat.pending.uci, a: seat.pending.a } }));
          turn(seat);
        });
        ws.on('message', (data) => {
          const frame = JSON.parse((data as Buffer).toString()) as unknown;
          if (frame !== null && typeof frame === 'object') onFrame(seat, frame as Record<string, unknown>);
        });
        ws.on('error', () => undefined); // the close says it
        ws.on('close', (code) => {
          if (over) return;
          this.reconnects++;
          if (code !== 1012) this.problems.push(`bot ${seat.color} of ${game.id}: socket closed with ${code}`);
          setTimeout(() => connect(seat), 200 + Math.random() * 300);
        });
      };
      seats.forEach(connect);
    });
  }

  /** No new game; every game still on is resigned. Resolves once all have ended (or after the timeout). */
  async finish(timeoutMs = 20_000): Promise<void> {
    this.stopping = true;
    this.finishing.forEach((resign) => resign());
    const all = Promise.all([...this.active]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }
}
