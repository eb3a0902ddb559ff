import {
  connectVersion,
  gapExpired,
  initialVersions,
  receive,
  startResync,
  type Frame,
  type VersionState,
} from '../../client/versions.js';
import type { GameJson } from '../../protocol/game.js';

/** Version tracking: repeats dropped, placeholders counted, gaps held then resynced, snapshots reset. */

const move = (v: number): Frame => ({
  t: 'move',
  v,
  d: { ply: v, uci: 'e2e4', san: 'e4', fen: 'x', clock: { white: 300, black: 300 } },
});
const skip = (v: number): Frame => ({ v });
const state = (v: number): Frame => ({ t: 'state', v, d: {} as GameJson });

/** Feeds frames in order at time `now`; what was delivered (by version) and the last state. */
function feed(start: VersionState, frames: Frame[], now = 0) {
  let s = start;
  const delivered: (number | string)[] = [];
  let skipped = 0;
  let dropped = 0;
  for (const f of frames) {
    const step = receive(s, f, now);
    s = step.state;
    skipped += step.skipped;
    dropped += step.dropped;
    delivered.push(...step.deliver.map((d) => ('v' in d && d.v !== undefined ? d.v : 't' in d ? d.t : '?')));
  }
  return { s, delivered, skipped, dropped };
}

test('the next version is delivered; one at or below the current is dropped', () => {
  const r = feed(initialVersions(3), [move(4), move(4), move(2), move(5)]);
  expect(r.delivered).toEqual([4, 5]);
  expect(r.dropped).toBe(2);
  expect(r.s.v).toBe(5);
});

test('a placeholder {"v":N} moves the count on without reaching the application', () => {
  const r = feed(initialVersions(3), [skip(4), move(5), skip(6)]);
  expect(r.delivered).toEqual([5]);
  expect(r.skipped).toBe(2);
  expect(r.s.v).toBe(6);
});

test('unversioned frames pass at once, even during a gap', () => {
  const r = feed(initialVersions(3), [
    move(5),
    { t: 'ack', d: 1 },
    { t: 'crowd', d: { white: true, black: true, watchers: 0 } },
  ]);
  expect(r.delivered).toEqual(['ack', 'crowd']);
});

test('events past a gap are held, and delivered in order once it fills', () => {
  const held = feed(initialVersions(3), [move(6), move(5)], 100);
  expect(held.delivered).toEqual([]);
  expect(held.s.gapSince).toBe(100);
  const filled = feed(held.s, [skip(4)], 150);
  expect(filled.delivered).toEqual([5, 6]);
  expect(filled.s).toMatchObject({ v: 6, held: [], gapSince: null });
});

test('a gap still open after the wait means a resync: no ?v= on the next socket, held events gone', () => {
  const held = feed(initialVersions(3), [move(5)], 100).s;
  expect(gapExpired(held, 2099, 2000)).toBe(false);
  expect(gapExpired(held, 2100, 2000)).toBe(true);
  const resyncing = startResync(held);
  expect(connectVersion(resyncing)).toBeUndefined();
  expect(resyncing.held).toEqual([]);
  // Events before the state are held for it; the state sets the version, later ones follow on.
  const r = feed(resyncing, [move(9), state(8), move(10)]);
  expect(r.delivered).toEqual([8, 9, 10]);
  expect(r.s.awaitingSnapshot).toBe(false);
});

test("the relay's resync frame makes the next state the baseline, whatever its version", () => {
  const r = feed(initialVersions(12), [{ t: 'resync' }, state(7), move(8)]);
  expect(r.delivered).toEqual(['resync', 7, 8]);
  expect(r.s.v).toBe(8);
});

test('a snapshot older than what the client has is stale; a newer one sets the version (a lobby restart)', () => {
  expect(feed(initialVersions(12), [state(7)]).delivered).toEqual([]);
  const seeks: Frame = { t: 'seeks', v: 1_700_000_000_000, d: [] };
  expect(feed(initialVersions(12), [seeks]).s.v).toBe(1_700_000_000_000);
});

test('with no version yet, the first event sets it; ?v= carries the last version seen', () => {
  expect(connectVersion(initialVersions())).toBeUndefined();
  const r = feed(initialVersions(), [move(4), move(5)]);
  expect(r.delivered).toEqual([4, 5]);
  expect(connectVersion(r.s)).toBe(5);
});
