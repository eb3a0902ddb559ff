import WebSocket from 'ws';

/** A frame from our relays, parsed. */
export type Frame = { t?: string; v?: number; d?: unknown } & Record<string, unknown>;

/**
 * A socket on our relays for the game scenarios: a player on /play (with a token) or a spectator on
 * /watch. Frames go to `onFrame` as they come; `until` awaits one that matches, bounded in time.
 */
export type GameSocket = {
  send(frame: unknown): void;
  onFrame(handler: (frame: Frame, at: number) => void): void;
  until(match: (frame: Frame) => boolean, ms?: number): Promise<Frame>;
  close(): void;
};

export function openGameSocket(url: string, localAddress?: string): Promise<GameSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false, localAddress });
  const handlers: ((frame: Frame, at: number) => void)[] = [];
  /** The latest frames, for `until` to find one that came before it was called (the first state). */
  const recent: Frame[] = [];
  ws.on('message', (data: Buffer) => {
    const at = performance.now();
    const text = data.toString();
    // Pongs (`0`) and anything else that is not an object are no game news.
    if (text.charCodeAt(0) !== 123) return;
    const frame = JSON.parse(text) as Frame;
    recent.push(frame);
    if (recent.length > 20) recent.shift();
    for (const h of [...handlers]) h(frame, at);
  });
  const socket: GameSocket = {
    send: (frame) => ws.send(JSON.stringify(frame)),
    onFrame: (h) => void handlers.push(h),
    until: (match, ms = 10_000) =>
      new Promise((resolve, reject) => {
        const found = recent.findIndex(match);
        if (found >= 0) return resolve(recent.splice(0, found + 1).at(-1)!);
        const timer = setTimeout(() => {
          const last = recent.map((f) => JSON.stringify(f).slice(0, 80)).join(' ');
          reject(new Error(`no matching frame in ${ms} ms on ${url.replace(/token=[^&]+/, 'token=…')}; last: ${last}`));
        }, ms);
        const h = (frame: Frame) => {
          if (!match(frame)) return;
          clearTimeout(timer);
          handlers.splice(handlers.indexOf(h), 1);
          recent.length = 0;
          resolve(frame);
        };
        handlers.push(h);
      }),
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('unexpected-response', (req, res) => {
      req.destroy();
      reject(new Error(`${url.replace(/token=[^&]+/, 'token=…')}: HTTP ${res.statusCode}`));
    });
    ws.once('open', () => {
      ws.on('error', () => undefined);
      resolve(socket);
    });
  });
}
