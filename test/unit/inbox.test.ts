import { createInbox } from '../../lila-core/inbox.js';
import { createRelayLiveness, RELAY_SILENCE_MS } from '../../lila-core/relay-liveness.js';

/**
 * An inbox with a settable clock, recording every resend request, wired as `site-in` wires it:
 * every message shows its relay alive first, and liveness tells the inbox of restarts.
 */
function setup(start = 1_000_000) {
  let now = start;
  const asked: [relay: string, boot: string, from: number][] = [];
  const liveness = createRelayLiveness(() => now);
  const numbers = createInbox(
    (relay, boot, from) => asked.push([relay, boot, from]),
    () => now,
  );
  liveness.onRestarted((relay, boot) => numbers.restarted(relay, boot));
  const inbox = {
    sweep: () => liveness.sweep(),
    accept: (relay: string, boot: string, seq: number) => (
      liveness.heard(relay, boot),
      numbers.accept(relay, boot, seq)
    ),
    tick: (relay: string, boot: string, last: number) => (liveness.heard(relay, boot), numbers.tick(relay, boot, last)),
    lost: (relay: string, boot: string, to: number) => (liveness.heard(relay, boot), numbers.lost(relay, to)),
  };
  return {
    inbox,
    numbers,
    asked,
    at: (t: number) => {
      now = t;
    },
    accepted: (relay: string, boot: string, seqs: number[]) => seqs.map((s) => inbox.accept(relay, boot, s)),
  };
}

describe('inbox', () => {
  test('messages in order are all accepted, and no resend is asked', () => {
    const { asked, accepted } = setup();
    expect(accepted('r1', 'b1', [1, 2, 3, 4, 5])).toEqual([true, true, true, true, true]);
    expect(asked).toEqual([]);
  });

  test('a relay first seen mid-stream is taken from where it is', () => {
    const { asked, accepted } = setup();
    expect(accepted('r1', 'b1', [41, 42, 43])).toEqual([true, true, true]);
    expect(asked).toEqual([]);
  });

  test('duplicates are dropped', () => {
    const { asked, accepted } = setup();
    expect(accepted('r1', 'b1', [1, 2, 2, 1, 3, 3])).toEqual([true, true, false, false, true, false]);
    expect(asked).toEqual([]);
  });

  test('a gap: the message past it is refused and a resend from last + 1 is asked', () => {
    const { inbox, asked, accepted } = setup();
    accepted('r1', 'b1', [1, 2, 3]);
    expect(inbox.accept('r1', 'b1', 6)).toBe(false);
    expect(asked).toEqual([['r1', 'b1', 4]]);
  });

  test('go-back-N: after a gap, later messages wait until the missing ones come', () => {
    const { asked, accepted } = setup();
    accepted('r1', 'b1', [1, 2, 3]);
    expect(accepted('r1', 'b1', [5, 6])).toEqual([false, false]);
    // the resend: 4, 5, 6 again
    expect(accepted('r1', 'b1', [4, 5, 6, 7])).toEqual([true, true, true, true]);
    expect(asked).toEqual([['r1', 'b1', 4]]);
  });

  test('resends are asked at most once per second per relay', () => {
    const { inbox, asked, at, accepted } = setup(1_000_000);
    accepted('r1', 'b1', [1, 2, 3]);
    inbox.accept('r1', 'b1', 5);
    at(1_000_500);
    inbox.accept('r1', 'b1', 6);
    at(1_000_999);
    inbox.accept('r1', 'b1', 7);
    expect(asked).toEqual([['r1', 'b1', 4]]);
    at(1_001_000);
    inbox.accept('r1', 'b1', 8);
    expect(asked).toEqual([
      ['r1', 'b1', 4],
      ['r1', 'b1', 4],
    ]);
  });

  test('once the gap is filled, the next gap is asked about at once', () => {
    const { inbox, asked, at, accepted } = setup(1_000_000);
    accepted('r1', 'b1', [1, 3]);
    at(1_000_100);
    accepted('r1', 'b1', [2, 3]);
    expect(inbox.accept('r1', 'b1', 5)).toBe(false);
    expect(asked).toEqual([
      ['r1', 'b1', 2],
      ['r1', 'b1', 4],
    ]);
  });

  test('relays are tracked separately', () => {
    const { inbox, asked, accepted } = setup();
    accepted('r1', 'b1', [1, 2]);
    accepted('r2', 'x9', [10, 11]);
    expect(inbox.accept('r1', 'b1', 4)).toBe(false);
    expect(inbox.accept('r2', 'x9', 12)).toBe(true);
    expect(inbox.accept('r2', 'x9', 14)).toBe(false);
    expect(asked).toEqual([
      ['r1', 'b1', 3],
      ['r2', 'x9', 13],
    ]);
  });

  test('a restarted relay (new boot) starts again from 1', () => {
    const { asked, accepted } = setup();
    accepted('r1', 'boot-a', [1, 2, 3, 4, 5]);
    expect(accepted('r1', 'boot-b', [1, 2])).toEqual([true, true]);
    expect(asked).toEqual([]);
  });

  test('a restarted relay whose first messages were lost is asked from 1, with its new boot', () => {
    const { asked, accepted } = setup();
    accepted('r1', 'boot-a', [1, 2, 3, 4, 5]);
    expect(accepted('r1', 'boot-b', [3])).toEqual([false]);
    expect(asked).toEqual([['r1', 'boot-b', 1]]);
    expect(accepted('r1', 'boot-b', [1, 2, 3])).toEqual([true, true, true]);
  });

  test('a new boot is not throttled by the old boot’s recent resend request', () => {
    const { inbox, asked, accepted } = setup();
    accepted('r1', 'boot-a', [1]);
    inbox.accept('r1', 'boot-a', 3);
    inbox.accept('r1', 'boot-b', 2);
    expect(asked).toEqual([
      ['r1', 'boot-a', 2],
      ['r1', 'boot-b', 1],
    ]);
  });

  test('a relay silent long enough to be presumed dead, back with the same boot, keeps its numbering', () => {
    const { inbox, asked, at, accepted } = setup(1_000_000);
    accepted('r1', 'b1', [1, 2]);
    at(1_000_000 + RELAY_SILENCE_MS);
    inbox.sweep();
    expect(accepted('r1', 'b1', [5])).toEqual([false]);
    expect(asked).toEqual([['r1', 'b1', 3]]);
  });

  test('a relay presumed dead, back with a new boot, starts again from 1', () => {
    const { inbox, asked, at, accepted } = setup(1_000_000);
    accepted('r1', 'b1', [1, 2]);
    at(1_000_000 + RELAY_SILENCE_MS);
    inbox.sweep();
    expect(accepted('r1', 'b2', [2])).toEqual([false]);
    expect(asked).toEqual([['r1', 'b2', 1]]);
  });

  test('messages the relay no longer keeps: declared lost, the numbering goes on after them', () => {
    const { inbox, asked, accepted } = setup();
    accepted('r1', 'b1', [1, 2, 3]);
    expect(accepted('r1', 'b1', [20_001, 20_002])).toEqual([false, false]);
    expect(asked).toEqual([['r1', 'b1', 4]]);
    // The relay keeps 10,000..20,002 only: 4..9,999 are lost, and it resends from 10,000.
    inbox.lost('r1', 'b1', 10_000);
    expect(accepted('r1', 'b1', [10_000, 10_001])).toEqual([true, true]);
    // Declared again (the relay answers each ask), it never goes back.
    inbox.lost('r1', 'b1', 10_000);
    expect(accepted('r1', 'b1', [10_001, 10_002])).toEqual([false, true]);
    expect(asked).toEqual([['r1', 'b1', 4]]);
  });

  test('after its own subscription was cut, lila-core asks every relay for what followed its last message', () => {
    const { asked, accepted, numbers } = setup();
    accepted('r1', 'b1', [1, 2]);
    accepted('r2', 'x9', [7]);
    numbers.resubscribed();
    expect(asked).toEqual([
      ['r1', 'b1', 3],
      ['r2', 'x9', 8],
    ]);
  });

  describe('tick', () => {
    test('reveals a loss at the tail', () => {
      const { inbox, asked, accepted } = setup();
      accepted('r1', 'b1', [1, 2, 3]);
      inbox.tick('r1', 'b1', 5);
      expect(asked).toEqual([['r1', 'b1', 4]]);
      expect(accepted('r1', 'b1', [4, 5])).toEqual([true, true]);
    });

    test('no loss, no request', () => {
      const { inbox, asked, accepted } = setup();
      accepted('r1', 'b1', [1, 2, 3]);
      inbox.tick('r1', 'b1', 3);
      inbox.tick('r1', 'b1', 2);
      expect(asked).toEqual([]);
    });

    test('from a relay never seen before: taken as where it is', () => {
      const { inbox, asked, accepted } = setup();
      inbox.tick('r1', 'b1', 17);
      expect(asked).toEqual([]);
      expect(accepted('r1', 'b1', [18])).toEqual([true]);
    });

    test('is throttled like accept', () => {
      const { inbox, asked, at, accepted } = setup(1_000_000);
      accepted('r1', 'b1', [1]);
      inbox.tick('r1', 'b1', 3);
      at(1_000_400);
      inbox.tick('r1', 'b1', 3);
      at(1_001_400);
      inbox.tick('r1', 'b1', 3);
      expect(asked).toEqual([
        ['r1', 'b1', 2],
        ['r1', 'b1', 2],
      ]);
    });

    test('from a restarted relay that has sent messages we missed: asks from 1', () => {
      const { inbox, asked, accepted } = setup();
      accepted('r1', 'boot-a', [1, 2, 3]);
      inbox.tick('r1', 'boot-b', 2);
      expect(asked).toEqual([['r1', 'boot-b', 1]]);
    });
  });
});
