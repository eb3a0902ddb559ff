import { isGameRoom, isTournamentRoom, Room } from '../protocol/channels.js';
import { encodeFrame } from '../protocol/client-out.js';
import type { Audience } from '../protocol/core-out.js';

/**
 * Who sees what in a game room. Each /play or /watch socket subscribes to the one uWS topic of its
 * role, so that an event meant for some of them reaches the others as its version alone: every
 * socket's versions stay contiguous, with one publish per role rather than a loop over sockets.
 */

export const ROLES = ['white', 'black', 'spectators'] as const;
export type Role = (typeof ROLES)[number];

/** Rooms whose events carry versions, kept in a history: games, the lobby (its seeks) and tournaments. */
export const isVersionedRoom = (room: string): boolean =>
  isGameRoom(room) || room === Room.lobby || isTournamentRoom(room);

export const roleTopic = (room: string, role: Role): string => `${room}/${role}`;

/** Whether a socket of `role` gets an event addressed `to` in full (absent: everyone). */
export function sees(role: Role, to: Audience | undefined): boolean {
  if (to === undefined) return true;
  if (to === 'players') return role !== 'spectators';
  return to === role;
}

/** What a socket that must not see event `v` gets instead. */
export const skipFrame = (v: number): string => encodeFrame({ v });
