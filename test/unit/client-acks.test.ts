import { acknowledge, emptyLedger, forgetPending, refuseOldest, stampMove, takeResends } from '../../client/acks.js';

/** Ack bookkeeping: increasing ids, a move pending until its ack, sent again when overdue. */

const stamped = (ucis: string[], at = 0) =>
  ucis.reduce((ledger, u) => stampMove(ledger, u, undefined, at).ledger, emptyLedger());

test('each move gets the next ack id, and the lag when there is one', () => {
  const first = stampMove(emptyLedger(), 'e2e4', undefined, 0);
  const second = stampMove(first.ledger, 'g1f3', 80, 0);
  expect([first.move, second.move]).toEqual([
    { u: 'e2e4', a: 1 },
    { u: 'g1f3', a: 2, l: 80 },
  ]);
});

test('ids keep increasing after acks: an id is never given to another move', () => {
  let ledger = stamped(['e2e4']);
  ledger = acknowledge(ledger, 1).ledger;
  expect(stampMove(ledger, 'd2d4', undefined, 0).move.a).toBe(2);
});

test('an ack clears its move only; an unknown or repeated ack changes nothing', () => {
  const ledger = stamped(['e2e4', 'd2d4']);
  const acked = acknowledge(ledger, 1);
  expect(acked.acked).toEqual({ u: 'e2e4', a: 1 });
  expect(acked.ledger.pending.map((p) => p.move.a)).toEqual([2]);
  expect(acknowledge(acked.ledger, 1)).toEqual({ ledger: acked.ledger });
});

test('a move is due again once last sent 2.5 s ago, and then waits another 2.5 s', () => {
  const ledger = stamped(['e2e4'], 1000);
  expect(takeResends(ledger, 3499, { afterMs: 2500 }).resend).toEqual([]);
  const due = takeResends(ledger, 3500, { afterMs: 2500 });
  expect(due.resend).toEqual([{ u: 'e2e4', a: 1 }]);
  expect(takeResends(due.ledger, 5999, { afterMs: 2500 }).resend).toEqual([]);
});

test('on a new socket every pending move goes, however recent', () => {
  const ledger = stamped(['e2e4', 'd2d4'], 1000);
  expect(takeResends(ledger, 1001, { every: true }).resend.map((m) => m.a)).toEqual([1, 2]);
});

test('a refusal takes the oldest pending move; the end of the game takes them all', () => {
  const ledger = stamped(['e2e4', 'd2d4']);
  const refused = refuseOldest(ledger);
  expect(refused.refused).toEqual({ u: 'e2e4', a: 1 });
  expect(refused.ledger.pending.map((p) => p.move.a)).toEqual([2]);
  expect(refuseOldest(emptyLedger()).refused).toBeUndefined();
  expect(forgetPending(ledger).pending).toEqual([]);
});
