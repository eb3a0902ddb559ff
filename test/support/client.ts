import WebSocket from 'ws';

/**
 * A test's WebSocket: every frame it receives is queued, and `next` takes the first one (or the
 * first that matches, leaving the others queued), awaiting it if needed and failing after a
 * timeout rather than hanging. `seen` keeps every frame, in order, for checks of the whole flow.
 */
export type Client = {
  ws: WebSocket;
  /** Every frame received so far, parsed. */
  seen: unknown[];
  next<T = Frame>(match?: (frame: Frame) => boolean, timeoutMs?: number): Promise<T>;
  send(frame: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
};

export type Frame = { t?: string; v?: number; d?: unknown } & Record<string, unknown>;

export class UpgradeRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`upgrade refused with ${status}: ${body}`);
  }
}

export function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const ws = new WebSocket(url, { headers });
  const queue: Frame[] = [];
  const seen: unknown[] = [];
  let waiter: (() => void) | undefined;
  ws.on('message', (data, isBinary) => {
    const frame = isBinary ? { binary: true } : (JSON.parse(data.toString()) as Frame);
    queue.push(frame);
    seen.push(frame);
    waiter?.();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      waiter?.();
    }),
  );

  const client: Client = {
    ws,
    seen,
    async next<T>(match: (frame: Frame) => boolean = () => true, timeoutMs = 5000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = queue.findIndex((f) => match(f));
        if (i >= 0) return queue.splice(i, 1)[0] as T;
        if (ws.readyState === WebSocket.CLOSED)
          throw new Error(`socket closed while waiting; seen ${JSON.stringify(seen)}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms; seen ${JSON.stringify(seen)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiter = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
    send(frame) {
      ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    },
    closed,
    close() {
      ws.close();
    },
  };

  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(new UpgradeRefused(res.statusCode ?? 0, body)));
    });
    ws.once('error', reject);
  });
}

/** Resolves to the HTTP status with which the upgrade was refused (fails if it was accepted). */
export async function refusedStatus(url: string): Promise<number> {
  try {
    const client = await connect(url);
    client.close();
  } catch (err) {
    if (err instanceof UpgradeRefused) return err.status;
    throw err;
  }
  throw new Error(`${url} was accepted`);
}
