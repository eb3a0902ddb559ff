import type { Chess } from 'chessops/chess';
import { parseUci } from 'chessops/util';
import WebSocket from 'ws';
import { HARD_FRAME_LIMIT_BYTES, MAX_FRAME_BYTES, type Endpoint } from '../../protocol/client-in.js';
import { forgedToken, type Player } from './api.js';
import { legalUcis, positionAfter } from './chess.js';
import type { FuzzFrame } from './frames.js';
import { answered, newPace, readyAt, spend, throttled, type Pace } from './pace.js';
import { framesOf, planOf, type SocketPlan } from './source.js';
import { relayLimit, type Tally } from './tally.js';

/** A pair of the fuzzer's own players and the game they are in now: /play sockets fuzz it. */
export type Pair = { white: Player; black: Player; gameId: string };

/** A frame as it went out, for a report after a crash: its id regenerates it (`frameAt`). */
export type SentFrame = { id: string; endpoint: Endpoint; frame: FuzzFrame; data: string | Uint8Array };

/** What every slot shares. */
export type Context = {
  seed: number;
  relayUrls: string[];
  pairs: Pair[];
  botGames: () => string[];
  anons: Player[];
  accounts: Player[];
  /** Frames left to send in this phase; at 0 every slot closes its socket and stops. */
  budget: { left: number };
  tally: Tally;
  /** The last frames sent to each relay, oldest first. */
  recent: SentFrame[][];
  /** A game id met in a frame (`state`, `redirect`): its invariants are checked at the end. */
  gameSeen: (id: string) => void;
  /** A pair's game ended, as one of its /play sockets saw. */
  pairEnded: (pair: number, gameId: string) => void;
};

const RECENT = 256;
const UNKNOWN_GAME = 'Zz0Zz0Zz';

/** The endpoint whose frames a plan's socket sends (an odd path that opens is treated as /site). */
export const endpointOf = (plan: SocketPlan): Endpoint => (plan.endpoint === 'odd' ? 'site' : plan.endpoint);

/** Where a plan leads: the URL, the endpoint whose frames it gets, and the HTTP status the upgrade must get (101: open). */
type Target = { path: string; token?: string; expect: number; endpoint: Endpoint; pair?: number };

function targetOf(plan: SocketPlan, ctx: Context): Target {
  const at = <T>(list: readonly T[], i: number): T => list[i % list.length];
  const tokenOf = (who: string, i: number): string | undefined =>
    who === 'anon'
      ? at(ctx.anons, i).token
      : who === 'account'
        ? at(ctx.accounts, i).token
        : who === 'forged'
          ? forgedToken(at(ctx.accounts, i).id)
          : undefined;
  const refusedIfForged = (who: string) => (who === 'forged' ? 401 : 101);
  switch (plan.endpoint) {
    case 'play': {
      const pair = at(ctx.pairs, plan.pair);
      if (plan.who === 'player')
        return {
          path: `/play/${pair.gameId}`,
          token: plan.color === 'white' ? pair.white.token : pair.black.token,
          expect: 101,
          endpoint: 'play',
          pair: plan.pair % ctx.pairs.length,
        };
      if (plan.who === 'none') return { path: `/play/${pair.gameId}`, expect: 401, endpoint: 'play' };
      if (plan.who === 'forged')
        return { path: `/play/${pair.gameId}`, token: forgedToken(pair.white.id), expect: 401, endpoint: 'play' };
      if (plan.who === 'stranger')
        return { path: `/play/${pair.gameId}`, token: at(ctx.anons, plan.pair).token, expect: 403, endpoint: 'play' };
      return { path: `/play/${UNKNOWN_GAME}`, token: pair.white.token, expect: 404, endpoint: 'play' };
    }
    case 'watch': {
      const bots = ctx.botGames();
      const game =
        plan.game === 'unknown'
          ? UNKNOWN_GAME
          : plan.game === 'bot' && bots.length
            ? at(bots, plan.pick)
            : at(ctx.pairs, plan.pick).gameId;
      const expect = plan.who === 'forged' ? 401 : game === UNKNOWN_GAME ? 404 : 101;
      return { path: `/watch/${game}`, token: tokenOf(plan.who, plan.pick), expect, endpoint: 'watch' };
    }
    case 'lobby':
    case 'site':
      return {
        path: `/${plan.endpoint}`,
        token: tokenOf(plan.who, 0),
        expect: refusedIfForged(plan.who),
        endpoint: plan.endpoint,
      };
    case 'user': {
      const users = [...ctx.accounts, ...ctx.anons];
      const me = at(users, plan.pick);
      const other = at(users, plan.pick + 1);
      if (plan.who === 'own') return { path: `/user/${me.id}`, token: me.token, expect: 101, endpoint: 'user' };
      if (plan.who === 'other') return { path: `/user/${other.id}`, token: me.token, expect: 403, endpoint: 'user' };
      if (plan.who === 'none') return { path: `/user/${me.id}`, expect: 401, endpoint: 'user' };
      return { path: `/user/${me.id}`, token: forgedToken(me.id), expect: 401, endpoint: 'user' };
    }
    case 'odd':
      return { path: plan.path, expect: 404, endpoint: endpointOf(plan) };
  }
}

/**
 * One fuzz socket slot: connection after connection (each planned from the seed), it sends its
 * generated frames at the pace the relay allows (pace.ts), reads what comes back, and opens the
 * next connection when the relay closes this one, until the phase's frames are all sent.
 */
export class Slot {
  private connection = 0;
  private ws: WebSocket | undefined;
  private open: Connection | undefined;
  private stopped = false;

  constructor(
    private readonly index: number,
    private readonly ctx: Context,
  ) {}

  async run(): Promise<void> {
    while (!this.stopped && this.ctx.budget.left > 0) {
      await this.connect(this.connection++);
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 60));
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.open) this.open.close();
    else this.ws?.close(1000);
  }

  private connect(connection: number): Promise<void> {
    const { ctx } = this;
    const plan = planOf(ctx.seed, this.index, connection);
    const target = targetOf(plan, ctx);
    const relay = (this.index + connection) % ctx.relayUrls.length;
    const query = target.token ? `?token=${encodeURIComponent(target.token)}` : '';
    const label = `${plan.endpoint}/${'who' in plan ? plan.who : 'path'}`;
    let ws: WebSocket;
    try {
      ws = new WebSocket(`${ctx.relayUrls[relay]}${target.path}${query}`);
    } catch {
      // A generated path no URL can hold: nothing reached the relay.
      ctx.tally.upgrades.add('not a URL');
      return Promise.resolve();
    }
    this.ws = ws;
    const id = `${this.index}.${connection}`;
    return new Promise((done) => {
      ws.once('unexpected-response', (_req, res) => {
        const status = res.statusCode ?? 0;
        ctx.tally.upgrades.add(`${status}`);
        if (status !== target.expect && !(status === 504 || status === 503))
          ctx.tally.finding(`upgrade ${label} ${target.path} got ${status}, expected ${target.expect} (slot ${id})`);
        res.resume();
        ws.terminate();
      });
      ws.once('open', () => {
        ctx.tally.upgrades.add('101');
        if (target.expect !== 101 && plan.endpoint !== 'odd')
          ctx.tally.finding(`upgrade ${label} ${target.path} was accepted, expected ${target.expect} (slot ${id})`);
        this.open = new Connection(
          ws,
          id,
          target,
          framesOf(ctx.seed, this.index, connection, target.endpoint),
          relay,
          ctx,
        );
        this.open.start();
      });
      ws.on('error', () => undefined); // the close (or the refusal) says what happened
      ws.once('close', () => {
        this.open = undefined;
        done();
      });
      if (this.stopped) ws.close(1000);
    });
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Why the relay may close a socket after this frame, if it may. */
export function closer(frame: FuzzFrame, data: string | Uint8Array): string | undefined {
  if (frame.binary) return 'binary';
  const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  if (bytes > HARD_FRAME_LIMIT_BYTES) return 'over 64 KiB';
  if (bytes > MAX_FRAME_BYTES) return 'over 8 KiB';
  if (typeof data !== 'string') {
    try {
      utf8.decode(data);
    } catch {
      return 'not UTF-8';
    }
  }
  return undefined;
}

/** One open fuzz socket: what it sends, when, and what it makes of what comes back. */
class Connection {
  private readonly pace: Pace = newPace(Date.now());
  private readonly waiting: FuzzFrame[] = [];
  private current: FuzzFrame | undefined;
  private index = 0;
  /** The first frame sent that may close the socket, if any: what a close is put down to. */
  private closing: string | undefined;
  private closedByUs = false;
  private timer: NodeJS.Timeout | undefined;
  private position: Chess | undefined;
  private gameId: string | undefined;
  private seeks: string[] = [];

  constructor(
    private readonly ws: WebSocket,
    private readonly id: string,
    private readonly target: Target,
    private readonly frames: Generator<FuzzFrame>,
    private readonly relay: number,
    private readonly ctx: Context,
  ) {}

  start(): void {
    this.ws.on('message', (data, isBinary) => this.read(data as Buffer, isBinary));
    this.ws.once('close', (code) => {
      clearTimeout(this.timer);
      if (this.closedByUs && code === 1000) return this.ctx.tally.closes.add('1000 (ours)');
      this.ctx.tally.closes.add(`${code} after ${this.closing ?? 'no frame that closes'}`);
      // 1012: the relay asks every socket of a room to come back (missed events); anything else needs a cause.
      if (!this.closing && code !== 1012)
        this.ctx.tally.finding(
          `socket ${this.id} on ${this.target.path} closed with ${code}, though no frame sent could close it`,
        );
    });
    this.step();
  }

  close(): void {
    this.closedByUs = true;
    this.ws.close(1000);
  }

  private next(): FuzzFrame {
    this.index++;
    return this.frames.next().value as FuzzFrame;
  }

  /** Sends the next frame whose budget allows it, then plans the one after. */
  private step = (): void => {
    this.timer = undefined;
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ctx.budget.left <= 0) return this.close();
    const now = Date.now();
    const ready = this.waiting.findIndex((frame) => readyAt(this.pace, frame.kind, now) <= now);
    if (ready >= 0) return this.send(this.waiting.splice(ready, 1)[0], now);
    this.current ??= this.next();
    // A chat line or a move over its budget waits aside while other frames go.
    while (this.current.kind !== 'other' && this.current.kind !== 'ping' && this.waiting.length < 8) {
      if (readyAt(this.pace, this.current.kind, now) <= now) break;
      this.waiting.push(this.current);
      this.current = this.next();
    }
    const at = readyAt(this.pace, this.current.kind, now);
    if (at > now) return void (this.timer = setTimeout(this.step, at - now));
    const frame = this.current;
    this.current = undefined;
    this.send(frame, now);
  };

  private send(frame: FuzzFrame, now: number): void {
    const data = this.filled(frame);
    this.ws.send(typeof data === 'string' ? data : Buffer.from(data), { binary: frame.binary });
    spend(this.pace, frame.kind, now);
    this.closing ??= closer(frame, data);
    const { ctx } = this;
    ctx.tally.sent++;
    ctx.tally.sentBy.add(frame.category);
    ctx.budget.left--;
    const recent = ctx.recent[this.relay];
    recent.push({ id: `${this.id}.${this.index - 1}`, endpoint: this.target.endpoint, frame, data });
    if (recent.length > RECENT) recent.shift();
    this.timer = setTimeout(this.step, 0);
  }

  /** A hole filled from what this socket saw: a legal move of its game, or a seek it heard of. */
  private filled(frame: FuzzFrame): string | Uint8Array {
    const fill = frame.fill;
    if (!fill) return frame.data;
    if ('legalMove' in fill) {
      const legal = this.position ? legalUcis(this.position) : [];
      const u = legal[fill.legalMove % Math.max(1, legal.length)];
      return u ? JSON.stringify({ t: 'move', d: { u, a: fill.a } }) : frame.data;
    }
    const id = this.seeks[fill.seek % Math.max(1, this.seeks.length)];
    return id ? JSON.stringify({ t: fill.t, d: { id } }) : frame.data;
  }

  private read(data: Buffer, isBinary: boolean): void {
    const { tally } = this.ctx;
    if (isBinary) return tally.finding(`the relay sent a binary frame to ${this.target.path}`);
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return tally.finding(`the relay sent a frame that is not JSON: ${data.toString().slice(0, 200)}`);
    }
    if (frame === 0) {
      tally.answers.add('pong');
      return answered(this.pace);
    }
    if (frame === null || typeof frame !== 'object')
      return tally.finding(`the relay sent ${JSON.stringify(frame)} to ${this.target.path}`);
    const { t, v, d } = frame as { t?: string; v?: number; d?: unknown };
    if (t === 'error') {
      const { code = '?', message = '' } = (d ?? {}) as { code?: string; message?: string };
      tally.answers.add(`error:${code}`);
      if (code !== 'rate_limited') return answered(this.pace);
      tally.rateLimited.add(message.slice(0, 60));
      // The relay's own limits slow this socket down; lila-core's chat limits (per user, across
      // every socket of theirs) are an answer like any other.
      if (relayLimit(message)) throttled(this.pace, Date.now());
      return;
    }
    if (t === 'ack' || (t === 'clock' && v === undefined)) {
      tally.answers.add(t);
      return answered(this.pace);
    }
    tally.events.add(t ?? 'skip');
    if (t === 'state' || t === 'reload') {
      const game = d as { id: string; moves: string[] };
      this.gameId = game.id;
      this.ctx.gameSeen(game.id);
      this.position = positionAfter(game.moves);
    } else if (t === 'move' && this.position) {
      const move = parseUci((d as { uci: string }).uci);
      if (move && this.position.isLegal(move)) this.position.play(move);
      else this.position = undefined;
    } else if (t === 'end' && this.target.pair !== undefined && this.gameId) {
      this.ctx.pairEnded(this.target.pair, this.gameId);
    } else if (t === 'redirect') {
      this.ctx.gameSeen((d as { id: string }).id);
    } else if (t === 'seeks') {
      this.seeks = (d as { id: string }[]).map((seek) => seek.id).slice(-50);
    } else if (t === 'seekAdd') {
      this.seeks = [...this.seeks.slice(-49), (d as { id: string }).id];
    } else if (t === 'seekRemove') {
      this.seeks = this.seeks.filter((id) => id !== (d as { id: string }).id);
    }
  }
}
