import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { RELAYS, SITE_IN } from '../../protocol/channels.js';
import { CoreIn } from '../../protocol/core-in.js';
import { CloseCode } from '../../protocol/client-in.js';
import { createLogger } from '../../src/log.js';
import { createRevocations } from '../../ws-server/revocations.js';
import type { Socket } from '../../ws-server/socket-data.js';

/**
 * A relay's revoked sessions: asked of lila-core whenever its subscription is (re)made, heard one
 * by one or as a whole list, kept until each token would have expired, bounded, and every socket
 * opened with a revoked token closed.
 */

const NOW = 1_700_000_000;
const log = createLogger('relay', 'silent');

function fakeSocket(session: string | undefined) {
  const ended: { code: number; reason: string }[] = [];
  const data = { session, closed: false };
  const ws = {
    getUserData: () => data,
    end: (code: number, reason: string) => {
      ended.push({ code, reason });
      data.closed = true;
    },
  } as unknown as Socket;
  return { ws, ended, data };
}

function setup(o: { max?: number; askEveryMs?: number } = {}) {
  let now = NOW;
  const subscriber = Object.assign(new EventEmitter(), {
    status: 'connecting',
    subscribed: [] as string[][],
    subscribe: (...channels: string[]) => Promise.resolve(void subscriber.subscribed.push(channels)),
  });
  const published: { channel: string; message: unknown }[] = [];
  const publisher = {
    publish: (channel: string, message: string) => {
      published.push({ channel, message: JSON.parse(message) });
      return Promise.resolve(1);
    },
  };
  const sockets = new Map<string, Socket>();
  const revocations = createRevocations({
    relayId: 'relay-1',
    boot: 'boot1',
    publisher: publisher as unknown as Redis,
    subscriber: subscriber as unknown as Redis,
    ownChannel: 'relay:relay-1',
    sockets,
    log,
    nowSeconds: () => now,
    max: o.max,
    askEveryMs: o.askEveryMs ?? 60_000,
  });
  const ready = async () => {
    subscriber.status = 'ready';
    subscriber.emit('ready');
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { revocations, subscriber, published, sockets, ready, advance: (s: number) => (now += s) };
}

describe('asking lila-core for the list', () => {
  test('once subscribed (again), the relay asks on site-in, with a valid CoreIn', async () => {
    const { revocations, subscriber, published, ready } = setup();
    expect(revocations.known).toBe(false);
    await ready();
    expect(subscriber.subscribed).toEqual([['relay:relay-1', RELAYS]]);
    expect(published).toEqual([{ channel: SITE_IN, message: { relay: 'relay-1', boot: 'boot1', t: 'revocations' } }]);
    expect(CoreIn.safeParse(published[0].message).success).toBe(true);
    revocations.close();
  });

  test('asks again until the whole list has come, then stops', async () => {
    const { revocations, published, ready } = setup({ askEveryMs: 10 });
    await ready();
    while (published.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    revocations.heard({ t: 'revoked', d: [{ id: 'a', exp: NOW + 60 }] });
    expect(revocations.known).toBe(false);
    revocations.heard({ t: 'revoked', d: [], last: true });
    expect(revocations.known).toBe(true);
    const asked = published.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(published).toHaveLength(asked);
    revocations.close();
  });

  test('whenKnown resolves once the list is whole, or at its timeout', async () => {
    const { revocations } = setup();
    const started = Date.now();
    await revocations.whenKnown(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    const waiting = revocations.whenKnown(60_000);
    revocations.heard({ t: 'revoked', d: [], last: true });
    await waiting;
    revocations.close();
  });
});

describe('revoked sessions', () => {
  test('are refused, and the sockets opened with them are closed with 4001, others left open', () => {
    const { revocations, sockets } = setup();
    const [a1, a2, b, anonymous] = [fakeSocket('a'), fakeSocket('a'), fakeSocket('b'), fakeSocket(undefined)];
    [a1, a2, b, anonymous].forEach((s, i) => sockets.set(`s${i}`, s.ws));
    expect(revocations.has('a')).toBe(false);
    revocations.heard({ t: 'revoked', d: [{ id: 'a', exp: NOW + 60 }] });
    expect(revocations.has('a')).toBe(true);
    expect(revocations.has('b')).toBe(false);
    expect([a1.ended, a2.ended]).toEqual([
      [{ code: CloseCode.revoked, reason: expect.any(String) }],
      [{ code: CloseCode.revoked, reason: expect.any(String) }],
    ]);
    expect(CloseCode.revoked).toBe(4001);
    expect([b.ended, anonymous.ended]).toEqual([[], []]);
    // Heard again (a whole list after a reconnect): nothing is closed twice.
    revocations.heard({ t: 'revoked', d: [{ id: 'a', exp: NOW + 60 }], last: true });
    expect(a1.ended).toHaveLength(1);
    revocations.close();
  });

  test('are forgotten once their token has expired (it is refused for that anyway)', () => {
    const { revocations, advance } = setup();
    revocations.heard({
      t: 'revoked',
      d: [
        { id: 'soon', exp: NOW + 10 },
        { id: 'later', exp: NOW + 100 },
        { id: 'gone', exp: NOW - 1 },
      ],
    });
    expect(revocations.size).toBe(2);
    advance(10);
    revocations.sweep();
    expect(revocations.size).toBe(1);
    expect(revocations.has('later')).toBe(true);
    revocations.close();
  });

  test('are bounded: past the bound, those that expire first go', () => {
    const { revocations } = setup({ max: 3 });
    revocations.heard({
      t: 'revoked',
      d: [5, 1, 4, 2, 3].map((n) => ({ id: `s${n}`, exp: NOW + n * 10 })),
    });
    expect(revocations.size).toBe(3);
    expect(['s1', 's2', 's3', 's4', 's5'].map((id) => revocations.has(id))).toEqual([false, false, true, true, true]);
    revocations.close();
  });
});
