/**
 * Moves waiting for their ack, as pure bookkeeping with time passed in. Each move gets the next
 * ack id `a` (monotonically increasing for the life of the client, so never reused for another
 * move); it stays pending until `{"t":"ack","d":a}` and is sent again, unchanged, when it has gone
 * unanswered for a while or the socket was replaced. lila-core plays a repeat of the side's last
 * move (same `a`, same move) once and acks it again, so a resend never plays twice.
 */
export type MoveData = { readonly u: string; readonly a: number; readonly l?: number };
export type PendingMove = { readonly move: MoveData; readonly lastSentAt: number };
export type AckLedger = { readonly nextId: number; readonly pending: readonly PendingMove[] };

export const emptyLedger = (firstId = 1): AckLedger => ({ nextId: firstId, pending: [] });

/** A new move: stamped with the next ack id; the caller sends it now (or on open). */
export function stampMove(ledger: AckLedger, uci: string, lag: number | undefined, now: number) {
  const move: MoveData = lag === undefined ? { u: uci, a: ledger.nextId } : { u: uci, a: ledger.nextId, l: lag };
  return { ledger: { nextId: ledger.nextId + 1, pending: [...ledger.pending, { move, lastSentAt: now }] }, move };
}

/** `{"t":"ack","d":a}` arrived: that move is played. An unknown id (a second ack) changes nothing. */
export function acknowledge(ledger: AckLedger, a: number): { ledger: AckLedger; acked?: MoveData } {
  const acked = ledger.pending.find((p) => p.move.a === a)?.move;
  if (!acked) return { ledger };
  return { ledger: { ...ledger, pending: ledger.pending.filter((p) => p.move.a !== a) }, acked };
}

/**
 * The moves to send again at `now`: all of them (`every`, on a new socket), or those last sent at
 * least `afterMs` ago. They are marked sent at `now`.
 */
export function takeResends(
  ledger: AckLedger,
  now: number,
  o: { every: true } | { afterMs: number },
): { ledger: AckLedger; resend: MoveData[] } {
  const due = (p: PendingMove) => 'every' in o || now - p.lastSentAt >= o.afterMs;
  const resend = ledger.pending.filter(due).map((p) => p.move);
  if (!resend.length) return { ledger, resend };
  const pending = ledger.pending.map((p) => (due(p) ? { move: p.move, lastSentAt: now } : p));
  return { ledger: { ...ledger, pending }, resend };
}

/**
 * lila-core refused a move (an `error` frame, which does not say which move): the oldest pending
 * one, since a socket's moves are answered in the order sent and a repeat is acked, not refused.
 */
export function refuseOldest(ledger: AckLedger): { ledger: AckLedger; refused?: MoveData } {
  const [oldest, ...rest] = ledger.pending;
  return oldest ? { ledger: { ...ledger, pending: rest }, refused: oldest.move } : { ledger };
}

/** The game ended: no pending move can be played any more. */
export const forgetPending = (ledger: AckLedger): AckLedger => ({ ...ledger, pending: [] });
