import type { Collection, Db } from 'mongodb';
import { within, WRITE_TIMEOUT_MS } from '../db.js';
import { newArena, type Arena, type Entrant, type Pairing, type Tournament } from './arena.js';

type TournamentDoc = Omit<Tournament, 'id'> & {
  _id: string;
  /** The tournament room's versions up to this one may have been published (room.ts). */
  reserved: number;
};
type PlayerDoc = Entrant & { _id: string; t: string };
type PairingDoc = Pairing & { _id: string; t: string };

/**
 * Arenas in MongoDB: `tournaments` (one document each, with the room's version reservation),
 * `tournament_players` (one per player, `<tournament>:<user>`) and `tournament_pairings` (one per
 * game, by its id: the game itself is in `games`). Scores are never stored: they are derived
 * from the pairings' results (arena.ts), so a result written once is all there is to keep.
 */
export function createTournamentStore(db: Db) {
  const tournaments: Collection<TournamentDoc> = db.collection('tournaments');
  const players: Collection<PlayerDoc> = db.collection('tournament_players');
  const pairings: Collection<PairingDoc> = db.collection('tournament_pairings');
  const bounded = <T>(work: Promise<T>, what: string) => within(work, WRITE_TIMEOUT_MS, what);
  const toTournament = ({ _id, reserved: _reserved, ...rest }: TournamentDoc): Tournament => ({ id: _id, ...rest });
  const strip = <T extends { _id: string; t: string }>({ _id: _unused, t: _t, ...rest }: T) => rest;

  const load = async (doc: TournamentDoc): Promise<{ arena: Arena; reserved: number }> => {
    const [found, games] = await Promise.all([
      players.find({ t: doc._id }).toArray(),
      pairings.find({ t: doc._id }).toArray(),
    ]);
    const arena = newArena(toTournament(doc), found.map(strip), games.map(strip));
    return { arena, reserved: doc.reserved };
  };

  return {
    async init(): Promise<void> {
      await Promise.all([
        tournaments.createIndex({ finishesAt: 1 }),
        players.createIndex({ t: 1 }),
        pairings.createIndex({ t: 1 }),
        pairings.createIndex({ status: 1 }),
      ]);
    },

    insert: (t: Tournament, reserved: number) =>
      bounded(tournaments.insertOne({ ...t, _id: t.id, reserved }), 'tournament insert'),

    /** The room's versions up to `reserved` may be published from now on (room.ts). */
    reserve: (id: string, reserved: number) =>
      bounded(tournaments.updateOne({ _id: id }, { $max: { reserved } }), 'tournament reserve'),

    savePlayer: (t: string, p: Entrant) =>
      bounded(players.replaceOne({ _id: `${t}:${p.id}` }, { ...p, t }, { upsert: true }), 'tournament player'),

    insertPairings: (t: string, made: Pairing[]) =>
      made.length
        ? bounded(pairings.insertMany(made.map((p) => ({ ...p, _id: p.id, t }))), 'tournament pairings')
        : Promise.resolve(),

    /** A game's result, written once: a pairing already settled is left as it is. */
    settle: (p: Pairing) =>
      bounded(
        pairings.updateOne(
          { _id: p.id, status: 'playing' },
          {
            $set: {
              status: p.status,
              ...(p.winner !== undefined && { winner: p.winner }),
              ...(p.plies !== undefined && { plies: p.plies }),
              ...(p.berserk && { berserk: p.berserk }),
            },
          },
        ),
        'tournament result',
      ),

    /**
     * Arenas to hold in memory at start: those not finished, and finished ones with games still
     * running (their results still count).
     */
    async active(now: number) {
      const running = await pairings.distinct('t', { status: 'playing' });
      const docs = await tournaments.find({ $or: [{ finishesAt: { $gt: now } }, { _id: { $in: running } }] }).toArray();
      return Promise.all(docs.map(load));
    },

    /** One arena, finished or not (the standings of an old one). */
    async find(id: string) {
      const doc = await tournaments.findOne({ _id: id });
      return doc ? load(doc) : undefined;
    },
  };
}
export type TournamentStore = ReturnType<typeof createTournamentStore>;
