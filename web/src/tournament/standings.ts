import type { SheetEntry, StandingPlayer } from '../../../protocol/http.js';

/** Pages of the standings, as the API serves them (lila-core/tournament/arena.ts STANDINGS_PAGE). */
export const PAGE_SIZE = 10;

/** How many pages `nbPlayers` fill: at least one, so that an empty arena shows its (empty) first page. */
export const pageCount = (nbPlayers: number): number => Math.max(1, Math.ceil(nbPlayers / PAGE_SIZE));

/** The page a rank (from 1) is on. */
export const pageOfRank = (rank: number): number => Math.max(1, Math.ceil(rank / PAGE_SIZE));

/** A page number kept within 1..pages. */
export const clampPage = (page: number, nbPlayers: number): number =>
  Math.min(Math.max(1, Math.floor(page)), pageCount(nbPlayers));

/** One game on a sheet: its points as lichess shows them, doubled ones (on fire) marked, berserk wins too. */
export type Mark = { text: string; result: SheetEntry['r']; fire: boolean; berserk: boolean; title: string };

export function sheetMarks(sheet: readonly SheetEntry[]): Mark[] {
  return sheet.map((e) => ({
    text: String(e.p),
    result: e.r,
    fire: e.fire,
    berserk: e.berserk,
    title: `${e.r}, ${e.p} point${e.p === 1 ? '' : 's'}${e.fire ? ', on fire' : ''}${e.berserk ? ', berserk' : ''}`,
  }));
}

/** A row of the table: rank from the page, the player, and whether it is the viewer's own. */
export type Row = { rank: number; player: StandingPlayer; marks: Mark[]; mine: boolean };

export const rowsOf = (page: number, players: readonly StandingPlayer[], meId: string | null): Row[] =>
  players.map((player, i) => ({
    rank: (page - 1) * PAGE_SIZE + i + 1,
    player,
    marks: sheetMarks(player.sheet),
    mine: player.id === meId,
  }));
