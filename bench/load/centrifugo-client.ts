import WebSocket from 'ws';
import { Confirmation, MAX_RECONNECTS, retryDelayMs, type RecoveryStats } from '../peers/peers.js';
import type { Subscription } from '../target.js';

/**
 * One subscriber of Centrifugo v6, speaking its client protocol (v2, JSON) over `ws` itself: no
 * SDK in between, so the generator spends on each publication one JSON.parse of a line and
 * nothing else. A frame may hold several replies, one JSON object a line. Commands are
 * `{"id":n,"connect":{}}` and `{"id":n,"subscribe":{"channel":c}}` (with `recover`, `offset` and
 * `epoch` when coming back), both sent in one frame; a publication comes as
 * `{"push":{"channel":c,"pub":{"data":...,"offset":n}}}`; the server's ping is `{}`, answered `{}`
 * when the connect reply asked for pongs.
 *
 * A recovering subscription (`onClose` given) keeps the epoch of its subscribe reply and the offset
 * of the last publication, and after a loss reconnects as our relays' sockets do (peers.ts
 * `retryDelayMs`): at once to its own node, then to the other after each failed attempt. Whether the
 * node recovered what was missed is counted in `stats`; recovered publications come in the
 * subscribe reply and go to `onMessage` like live ones.
 */
export type CentrifugoSubscribe = {
  urls: string[];
  server: number;
  channel: string;
  onMessage: (payload: string) => void;
  localAddress?: string;
  onClose?: (code: number) => void;
  stats: RecoveryStats;
  /** Called once the subscription has ended for good (closed, or given up), to forget it. */
  ended?: () => void;
};

type Pub = { data: string; offset?: number };
type Reply = {
  id?: number;
  error?: { code: number; message: string };
  connect?: { pong?: boolean };
  subscribe?: { epoch?: string; offset?: number; recovered?: boolean; was_recovering?: boolean; publications?: Pub[] };
  push?: { channel?: string; pub?: Pub; disconnect?: { code: number; reason: string } };
};

export function subscribeCentrifugo(o: CentrifugoSubscribe): Promise<Subscription> {
  const recover = o.onClose !== undefined;
  let server = o.server;
  let ended = false;
  let failures = 0;
  let epoch: string | undefined;
  let offset: number | undefined;
  let current: WebSocket | undefined;

  const end = () => {
    if (ended) return;
    ended = true;
    o.ended?.();
  };
  const confirmation = new Confirmation(`centrifugo ${o.channel}`, o.stats, () => {
    end();
    current?.terminate();
  });
  const subscription: Subscription = {
    close(abrupt = false) {
      if (!abrupt || !recover) end();
      if (abrupt) current?.terminate();
      else current?.close();
    },
  };

  const take = (pub: Pub) => {
    if (pub.offset !== undefined) offset = pub.offset;
    o.onMessage(pub.data);
  };

  const connect = (): void => {
    const ws = new WebSocket(o.urls[server], { perMessageDeflate: false, localAddress: o.localAddress });
    current = ws;
    let opened = false;
    let pong = false;
    ws.on('open', () => {
      opened = true;
      const sub =
        recover && epoch !== undefined
          ? { channel: o.channel, recover: true, epoch, offset: offset ?? 0 }
          : { channel: o.channel };
      ws.send(`${JSON.stringify({ id: 1, connect: {} })}\n${JSON.stringify({ id: 2, subscribe: sub })}`);
    });
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      for (let start = 0; start < text.length;) {
        let stop = text.indexOf('\n', start);
        if (stop < 0) stop = text.length;
        const line = text.slice(start, stop);
        start = stop + 1;
        if (line === '{}') {
          if (pong) ws.send('{}');
          continue;
        }
        if (!line) continue;
        const reply = JSON.parse(line) as Reply;
        if (reply.push?.pub) take(reply.push.pub);
        else if (reply.error) confirmation.fail(new Error(`${reply.error.code} ${reply.error.message}`));
        else if (reply.connect) pong = reply.connect.pong === true;
        else if (reply.subscribe) {
          const s = reply.subscribe;
          if (s.epoch !== undefined) epoch = s.epoch;
          if (s.offset !== undefined && offset === undefined) offset = s.offset;
          for (const pub of s.publications ?? []) take(pub);
          if (s.offset !== undefined) offset = Math.max(offset ?? 0, s.offset);
          failures = 0;
          confirmation.confirm(s.was_recovering === true && s.recovered === true, subscription);
        }
      }
    });
    ws.on('error', () => undefined);
    ws.once('close', (code: number) => {
      if (ended) return;
      if (!confirmation.confirmed) return confirmation.fail(new Error(`connection closed (${code})`));
      if (!recover) return end();
      if (opened) {
        o.stats.lost++;
        o.onClose!(code);
      } else if (++failures >= MAX_RECONNECTS) {
        o.stats.gaveUp++;
        return end();
      } else server = (server + 1) % o.urls.length;
      const delay = opened ? 0 : retryDelayMs(failures);
      if (delay) setTimeout(connect, delay);
      else connect();
    });
  };
  connect();
  return confirmation.promise;
}
