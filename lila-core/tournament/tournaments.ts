import { parseRoom } from '../../protocol/channels.js';
import type { CoreIn, SocketEnvelope } from '../../protocol/core-in.js';
import { isAnonymous, type ClockConfig, type Player } from '../../protocol/game.js';
import type { TournamentCreate, TournamentJson, TournamentMe, TournamentPage } from '../../protocol/http.js';
import type { Logger } from '../../src/log.js';
import type { Game } from '../game/game.js';
import { randomId } from '../ids.js';
import type { Publisher } from '../publish.js';
import { ok, refuse, type Result } from '../result.js';
import type { Clock } from '../time.js';
import {
  addPairing,
  newArena,
  placeOf,
  settlePairing,
  standingPage,
  statusAt,
  tournamentJson,
  type Arena,
  type Pairing,
} from './arena.js';
import { pairingPass, resultOf, type PassDeps } from './pass.js';
import { createPresence } from './presence.js';
import { createTournamentRooms } from './room.js';
import type { TournamentStore } from './store.js';

/** Rule "standings cached up to a second": thousands reloading cost one page a second; dropped at a `reload`. */
export const STANDINGS_CACHE_MS = 1_000;
/** How often the pairing pass runs over every arena. */
export const PASS_EVERY_MS = 1_000;

export type TournamentRefusal = 'not_found' | 'finished' | 'account_needed';
type Cached = { at: number; page: TournamentPage };

/**
 * Arena tournaments: created, joined, withdrawn from; their pairing pass every second on
 * lila-core's clock (pass.ts); results from their games' ends; their rooms and standings. Every
 * arena not finished is held in memory, and everything is in MongoDB (store.ts), so a restarted
 * lila-core continues each one: players, pairings, results, running games.
 */
export function createTournaments(o: {
  store: TournamentStore;
  publish: Publisher;
  clock: Clock;
  games: PassDeps['games'];
  startGame: PassDeps['startGame'];
  ratingOf: (userId: string, clock: ClockConfig) => Promise<number>;
  log: Logger;
  random?: () => number;
}) {
  const { store, clock, log } = o;
  const arenas = new Map<string, Arena>();
  const presence = createPresence();
  const rooms = createTournamentRooms({
    publish: o.publish,
    clock,
    reserve: store.reserve,
    onReload: (id) => pages.delete(id),
    onError: (err, id) => log.warn({ err: err.message, tournament: id }, 'tournament room event failed'),
  });
  /** Standings by arena and page; an arena's go as its `reload` does (at most once a second). */
  const pages = new Map<string, Map<number, Cached>>();

  const settled = async (arena: Arena, p: Pairing) => {
    rooms.reload(arena.t.id);
    await store.settle(p);
  };
  const deps: PassDeps = {
    presence,
    games: o.games,
    startGame: o.startGame,
    insertPairings: store.insertPairings,
    settled,
    random: o.random ?? Math.random,
  };

  /** An arena by id: in memory, or an old one read from storage (and kept). */
  const arenaOf = async (id: string): Promise<Arena | undefined> => {
    const held = arenas.get(id);
    if (held || !/^[A-Za-z0-9]{8}$/.test(id)) return held;
    const found = await store.find(id);
    if (!found || arenas.has(id)) return arenas.get(id);
    arenas.set(id, found.arena);
    rooms.restore(id, found.reserved);
    return found.arena;
  };

  let stopped = false;
  let stopTimer = () => undefined as unknown;
  const lastStatus = new Map<string, string>();
  const tick = async (): Promise<void> => {
    const now = clock.now();
    for (const arena of arenas.values()) {
      const status = statusAt(arena.t, now);
      // Started or finished: the page shows it.
      if (lastStatus.get(arena.t.id) !== status) rooms.reload(arena.t.id);
      lastStatus.set(arena.t.id, status);
      try {
        const made = await pairingPass(arena, now, deps);
        if (made.length) rooms.reload(arena.t.id);
      } catch (err) {
        log.error({ err: (err as Error).message, tournament: arena.t.id }, 'pairing pass failed');
      }
    }
    if (!stopped) stopTimer = clock.at(clock.now() + PASS_EVERY_MS, tick);
  };

  const changed = (arena: Arena) => {
    arena.ranked = undefined;
    rooms.reload(arena.t.id);
  };

  return {
    presence,

    /** Loads every arena to continue, then starts the pass. */
    async start(): Promise<number> {
      await store.init();
      for (const { arena, reserved } of await store.active(clock.now())) {
        arenas.set(arena.t.id, arena);
        rooms.restore(arena.t.id, reserved);
      }
      stopTimer = clock.at(clock.now() + PASS_EVERY_MS, tick);
      return arenas.size;
    },

    stop(): void {
      stopped = true;
      stopTimer();
    },

    async create(by: Player, body: TournamentCreate): Promise<Result<TournamentJson, TournamentRefusal>> {
      if (isAnonymous(by.id)) return refuse('account_needed', 'sign in with an account to create a tournament');
      const now = clock.now();
      const startsAt = now + body.startsInSeconds * 1000;
      const t = { id: randomId(8), name: body.name, clock: body.clock, minutes: body.minutes, startsAt };
      const arena = newArena({
        ...t,
        finishesAt: startsAt + body.minutes * 60_000,
        berserkable: body.berserkable,
        streaks: body.streaks,
        createdBy: by.id,
        createdAt: now,
      });
      await store.insert(arena.t, 0);
      arenas.set(t.id, arena);
      return ok(tournamentJson(arena, now));
    },

    /** Joins, or comes back after withdrawing (the score stays). */
    async join(id: string, user: Player): Promise<Result<TournamentJson, TournamentRefusal>> {
      const arena = await arenaOf(id);
      if (!arena) return refuse('not_found', 'no such tournament');
      if (isAnonymous(user.id)) return refuse('account_needed', 'sign in with an account to play in a tournament');
      if (statusAt(arena.t, clock.now()) === 'finished') return refuse('finished', 'the tournament is over');
      const known = arena.players.get(user.id);
      const rating = known?.rating ?? (await o.ratingOf(user.id, arena.t.clock));
      const entrant = known
        ? { ...known, withdrawn: false }
        : { id: user.id, name: user.name, rating, joinedAt: clock.now(), withdrawn: false };
      await store.savePlayer(id, entrant);
      arena.players.set(user.id, entrant);
      changed(arena);
      return ok(tournamentJson(arena, clock.now()));
    },

    /** Withdraws (a pause): no more pairings until the player joins again. */
    async withdraw(id: string, userId: string): Promise<Result<TournamentJson, TournamentRefusal>> {
      const arena = await arenaOf(id);
      if (!arena) return refuse('not_found', 'no such tournament');
      const known = arena.players.get(userId);
      if (known && !known.withdrawn) {
        await store.savePlayer(id, { ...known, withdrawn: true });
        arena.players.set(userId, { ...known, withdrawn: true });
        arena.waiting.delete(userId);
        changed(arena);
      }
      return ok(tournamentJson(arena, clock.now()));
    },

    /**
     * A game ended (and is stored): a tournament game's result goes to its arena's scores (a
     * pairing lost before it was stored is made from the game). Logs its own failures: a result
     * not stored is taken again from the game by the next pass after a restart.
     */
    async gameEnded(game: Game): Promise<void> {
      const id = game.tournament?.id;
      const arena = id === undefined ? undefined : await arenaOf(id).catch(() => undefined);
      if (!arena || id === undefined) return;
      try {
        if (!arena.pairings.has(game.id)) {
          const { white, black } = game.players;
          const p: Pairing = { id: game.id, white: white.id, black: black.id, at: game.createdAt, status: 'playing' };
          addPairing(arena, p);
          await store.insertPairings(id, [p]);
        }
        const p = settlePairing(arena, game.id, resultOf(game));
        if (p) await settled(arena, p);
      } catch (err) {
        log.error({ err: (err as Error).message, tournament: id, game: game.id }, 'tournament result not stored');
      }
    },

    /** `GET /api/tournament/:id?page=N`, computed at most once a second per page. */
    async page(id: string, page: number): Promise<TournamentPage | undefined> {
      const now = clock.now();
      const cached = pages.get(id)?.get(page);
      if (cached && now - cached.at < STANDINGS_CACHE_MS) return cached.page;
      const arena = await arenaOf(id);
      if (!arena) return undefined;
      const fresh = { ...tournamentJson(arena, now), standing: { page, players: standingPage(arena, page) } };
      if (pages.size > 10_000) pages.clear();
      pages.set(id, (pages.get(id) ?? new Map<number, Cached>()).set(page, { at: now, page: fresh }));
      return fresh;
    },

    /** `GET /api/tournament/:id/me`: the user's place (null: never joined); undefined: no such arena. */
    async place(id: string, userId: string): Promise<TournamentMe | undefined> {
      const arena = await arenaOf(id);
      return arena && { me: placeOf(arena, userId) };
    },

    /** `GET /api/tournament`: the arenas created or started, soonest first. */
    list(): TournamentJson[] {
      const now = clock.now();
      return [...arenas.values()]
        .filter((a) => statusAt(a.t, now) !== 'finished')
        .sort((a, b) => a.t.startsAt - b.t.startsAt)
        .map((a) => tournamentJson(a, now));
    },

    /** Socket traffic of `tournament:<id>` rooms: pages opening (and counted as present), chat. */
    async handle(m: SocketEnvelope): Promise<unknown> {
      const parsed = parseRoom(m.room);
      const id = parsed?.kind === 'tournament' ? parsed.id : '';
      if (m.t === 'join') return rooms.join(m, id, (await arenaOf(id)) !== undefined);
      if (m.t === 'talk') return (await arenaOf(id)) ? rooms.talk(m, id) : undefined;
      return undefined;
    },

    /** Every socket message lila-core takes: joins and leaves of tournament pages and game sockets. */
    observe: (m: SocketEnvelope) => presence.observe(m),
    reported: (m: Extract<CoreIn, { t: 'sockets' }>) => presence.reported(m),
    relayEnded: (relay: string, boot: string) => presence.relayEnded(relay, boot),

    /** The latest version of a tournament room (undefined: unknown here). */
    version: (id: string): number | undefined => rooms.version(id),
  };
}
export type Tournaments = ReturnType<typeof createTournaments>;
