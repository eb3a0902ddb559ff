/**
 * When lila-core takes a client's action to have happened: a move's think time ends there, so
 * that time spent in queues (Redis, lila-core's event loop behind a flood, a game's queue) is never
 * charged to a player.
 *
 * Relays stamp each action with their clock when it arrives (`at`, core-in.ts). The stamp is
 * honoured when it falls within STAMP_MAX_AGE_MS before lila-core received the message; a later
 * stamp (a relay clock ahead) counts as the receipt itself, and an older one (a move held while
 * lila-core was away, or a relay clock far behind) is ignored for the receipt. Relays and lila-core
 * keep their clocks in sync (NTP): a relay behind by d ms gives its players d ms per move, and the
 * tolerance caps what a badly set clock can give. Three seconds covers a resend after a gap in
 * `site-in` (lila-core notices within a second) and seconds of backlog behind a flood.
 *
 * Under the manual clock (CLOCK=manual, fixtures) lila-core's time is not wall time: stamps mean
 * nothing to it, and the receipt is used, so fixtures keep exact clocks.
 */
export const STAMP_MAX_AGE_MS = 3_000;

export function actionTime(stamp: number | undefined, receivedAt: number, trustStamps: boolean): number {
  if (!trustStamps || stamp === undefined || stamp < receivedAt - STAMP_MAX_AGE_MS) return receivedAt;
  return Math.min(stamp, receivedAt);
}
