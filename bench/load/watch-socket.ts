import WebSocket from 'ws';
import type { Subscription } from '../target.js';

/**
 * A spectator's socket on our relays (/watch/<gameId>), as the benchmarks drive it: it hands on
 * the bench payloads only (the relay's own frames, `state`, `crowd`, `n`, are left aside), keeps
 * the version of the last event it saw, and when asked to recover, reconnects with `?v=` after a
 * loss, first to its own relay and then to the other one, as nginx would send it.
 */

/** Attempts to reconnect after a loss before giving up: the scenarios are bounded in time. */
const MAX_RECONNECTS = 100;
const RETRY_MS = 100;
const RESYNC = '{"t":"resync"}';

/** What recovering sockets went through (as the peers count it, bench/peers/peers.ts). */
export type RecoveryStats = { lost: number; recovered: number; notRecovered: number; gaveUp: number };

export type WatchOptions = {
  stats?: RecoveryStats;
  relayUrls: string[];
  server: number;
  gameId: string;
  onMessage: (payload: string) => void;
  localAddress?: string;
  onClose?: (code: number) => void;
};

/**
 * Bench events carry their room version first, `{"v":N,...}`, as lila-core's events do; a frame
 * `{"v":N}` alone is an event this socket was not meant to see. Undefined for the relay's frames.
 */
export function readVersioned(text: string): { v: number; payload?: string } | undefined {
  if (!text.startsWith('{"v":')) return undefined;
  let i = 5;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  const v = Number(text.slice(5, i));
  return text[i] === ',' ? { v, payload: `{${text.slice(i + 1)}` } : { v };
}

/** `payload` (a JSON object) as the frame sockets receive: its room version put first. */
export const versioned = (v: number, payload: string): string => `{"v":${v},${payload.slice(1)}`;

export function watch(o: WatchOptions): Promise<Subscription> {
  let ws: WebSocket;
  let server = o.server;
  let lastV: number | undefined;
  let ended = false;
  let reconnects = 0;

  const open = (v: number | undefined): WebSocket => {
    const query = v === undefined ? '' : `?v=${v}`;
    const socket = new WebSocket(`${o.relayUrls[server]}/watch/${o.gameId}${query}`, {
      perMessageDeflate: false,
      localAddress: o.localAddress,
    });
    socket.on('message', (data: Buffer, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      const event = readVersioned(text);
      if (!event) {
        // The relay could not serve what was missed: a new state follows, the events are lost.
        if (text === RESYNC && o.stats) {
          o.stats.recovered--;
          o.stats.notRecovered++;
        }
        return;
      }
      lastV = event.v;
      if (event.payload !== undefined) o.onMessage(event.payload);
    });
    return socket;
  };

  /** After a loss: own relay first, the other one when it refuses, a short pause between rounds. */
  const recover = (): void => {
    if (ended) return;
    if (reconnects++ >= MAX_RECONNECTS) return void (o.stats && o.stats.gaveUp++);
    ws = open(lastV);
    let opened = false;
    ws.once('open', () => {
      opened = true;
      reconnects = 0;
      if (o.stats) o.stats.recovered++;
    });
    ws.on('error', () => undefined);
    ws.once('close', (code) => {
      if (ended) return;
      if (opened) {
        if (o.stats) o.stats.lost++;
        o.onClose?.(code);
        return recover();
      }
      server = (server + 1) % o.relayUrls.length;
      setTimeout(recover, reconnects % o.relayUrls.length === 0 ? RETRY_MS : 0);
    });
  };

  return new Promise((resolve, reject) => {
    ws = open(undefined);
    ws.on('error', (err) => reject(err));
    ws.once('unexpected-response', (req, res) => {
      req.destroy();
      reject(new Error(`watch ${o.gameId}: HTTP ${res.statusCode}`));
    });
    ws.once('open', () => {
      ws.once('close', (code) => {
        if (ended || !o.onClose) return;
        if (o.stats) o.stats.lost++;
        o.onClose(code);
        recover();
      });
      resolve({
        close(abrupt = false) {
          if (!abrupt || !o.onClose) ended = true;
          if (abrupt) ws.terminate();
          else ws.close();
        },
      });
    });
  });
}
