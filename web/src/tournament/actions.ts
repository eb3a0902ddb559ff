import type { TournamentMe, TournamentStatus } from '../../../protocol/http.js';
import type { Me } from '../context.js';

/**
 * The one button of the arena page for the viewer: join (or join again after a pause), withdraw,
 * sign in (anonymous players and visitors cannot play), or none once it is over.
 */
export type Entry = { kind: 'join' | 'rejoin' | 'withdraw' | 'sign-in'; label: string } | null;

export function entryFor(me: Me, place: TournamentMe['me'], status: TournamentStatus): Entry {
  if (status === 'finished') return null;
  if (!me || me.anonymous) return { kind: 'sign-in', label: 'Sign in to play' };
  if (!place) return { kind: 'join', label: 'Join' };
  if (place.withdrawn) return { kind: 'rejoin', label: 'Join again' };
  return { kind: 'withdraw', label: 'Withdraw' };
}

/** Where the viewer stands, in words: nothing for visitors; in it, or paused after withdrawing. */
export function placeText(place: TournamentMe['me']): string {
  if (!place) return '';
  return place.withdrawn ? 'You have withdrawn: join again to be paired.' : 'You play in this arena.';
}
