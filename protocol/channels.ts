/** Redis channels. A room's channel name is also its uWS topic on every relay. */

/** Every client action, from every relay, to lila-core. */
export const SITE_IN = 'site-in';

/**
 * Only when lila-core runs with CLOCK=manual (fixtures): `{"advance":<ms>,"reply":<channel>}`
 * moves its clock forward, then it publishes `{"now":<ms>}` on the reply channel.
 */
export const CORE_CLOCK = 'core-clock';

/** lila-core to every relay at once: it is going down (`coreDown`) or back (`coreUp`). */
export const RELAYS = 'relays';

/** Answers for single sockets of one relay (first state, errors, join replies). */
export const relayChannel = (relayId: string): string => `relay:${relayId}`;

export const Room = {
  game: (id: string) => `game:${id}` as const,
  user: (id: string) => `user:${id}` as const,
  tournament: (id: string) => `tournament:${id}` as const,
  study: (id: string) => `study:${id}` as const,
  lobby: 'lobby',
  site: 'site',
} as const;

export type RoomName =
  ReturnType<(typeof Room)['game' | 'user' | 'tournament' | 'study']> | typeof Room.lobby | typeof Room.site;

const roomPattern = /^(?:(game|user|tournament|study):([A-Za-z0-9_-]{1,32})|lobby|site)$/;

export const isRoomName = (s: string): s is RoomName => roomPattern.test(s);

/** A room name taken apart: the one place that reads a channel's prefix. */
export type ParsedRoom = { kind: 'game' | 'user' | 'tournament' | 'study'; id: string } | { kind: 'lobby' | 'site' };

export function parseRoom(name: string): ParsedRoom | undefined {
  const match = roomPattern.exec(name);
  if (!match) return undefined;
  const [, kind, id] = match;
  // Stryker disable next-line LogicalOperator,ConditionalExpression: the two groups match together (both or neither); testing both narrows the types
  if (kind === undefined || id === undefined) return { kind: name as 'lobby' | 'site' };
  return { kind: kind as 'game' | 'user' | 'tournament' | 'study', id };
}

/** The game id of a `game:<id>` room, undefined for any other room. */
export const gameIdOf = (room: string): string | undefined => {
  const parsed = parseRoom(room);
  return parsed?.kind === 'game' ? parsed.id : undefined;
};

/** Whether a known room is a game's; a prefix test, cheap enough for the relay's hot path. */
export const isGameRoom = (room: string): boolean => room.startsWith('game:');

/** Whether a known room is a tournament's (`tournament:<id>`): a prefix test, like `isGameRoom`. */
export const isTournamentRoom = (room: string): boolean => room.startsWith('tournament:');
