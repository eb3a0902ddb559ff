import { createWriteStream } from 'node:fs';
import { z } from 'zod';

/**
 * The message recorder. With `TAP=<file>`, relays and lila-core append one JSON line per frame a
 * client sent or received, per `site-in` envelope, per outbound message and per API call. When
 * `TAP` is unset there is no tap at all: call sites are `tap?.(...)`, which costs one check.
 */

const sid = z.string();
const raw = z.string();
const line = <D extends string, T extends z.ZodRawShape>(dir: D, shape: T) =>
  z.object({ ts: z.number(), proc: z.string(), dir: z.literal(dir), ...shape });

export const TapLine = z.discriminatedUnion('dir', [
  // relay: a socket opened (after its upgrade was accepted) or closed
  line('open', { sid, path: z.string(), user: z.string().nullable(), relay: z.string() }),
  line('close', { sid, code: z.number().int() }),
  // relay: a text frame a client sent, exactly as received
  line('in', { sid, raw }),
  // relay: a frame sent to one socket
  line('out', { sid, raw }),
  // relay: a frame published to a uWS topic (every local socket of that room), once per publish
  line('topic', { topic: z.string(), raw }),
  // core: a message received on site-in, before validation
  line('site-in', { raw }),
  // core: a message published to Redis, exactly as published
  line('pub', { channel: z.string(), raw }),
  // core: an API call; passwords and tokens are redacted
  line('http', {
    method: z.string(),
    path: z.string(),
    status: z.number().int(),
    user: z.string().nullable(),
    body: z.json(),
    response: z.json(),
  }),
]);
export type TapLine = z.infer<typeof TapLine>;

/** A line as a call site gives it: the tap adds `ts` and `proc`. */
export type TapEntry = TapLine extends infer L ? (L extends TapLine ? Omit<L, 'ts' | 'proc'> : never) : never;

export type Tap = ((entry: TapEntry) => void) & {
  /** Writes what is pending and closes the file. */
  close(): Promise<void>;
};

/** A tap appending to `file`, or undefined when `file` is. Writes never throw; a failed file stops the tap. */
/** The wall clock in milliseconds to the microsecond, the same in every process of the machine. */
const now = (): number => performance.timeOrigin + performance.now();

export function openTap(file: string | undefined, proc: string): Tap | undefined {
  if (file === undefined) return undefined;
  const stream = createWriteStream(file, { flags: 'a' });
  // Once the file failed or the tap was closed, lines are dropped: recording never stops a process.
  let failed = false;
  let closed = false;
  stream.on('error', (err) => {
    if (!failed) console.error(`tap: ${file}: ${err.message}; recording stopped`);
    failed = true;
  });
  // One write per full line: lines from several processes appending to one file never interleave.
  // Milliseconds with a fraction (microseconds): the converter orders the lines of several processes
  // by time, and one socket's answer and another's next frame often fall in the same millisecond.
  const tap = (entry: TapEntry) =>
    void (!failed && !closed && stream.write(`${JSON.stringify({ ts: now(), proc, ...entry })}\n`));
  let closing: Promise<void> | undefined;
  return Object.assign(tap, {
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        closed = true;
        if (stream.closed) return resolve();
        stream.once('close', () => resolve());
        stream.end();
      })),
  });
}

const SECRET_KEYS = new Set(['password', 'token']);
export type Json = z.infer<ReturnType<typeof z.json>>;

/**
 * A value as JSON would carry it (undefined and anything unserializable read as null), with every
 * `password` and `token` field, at any depth, replaced by "***".
 */
export function redactSecrets(value: unknown): Json {
  try {
    const text = JSON.stringify(value, (key, v: unknown) => (SECRET_KEYS.has(key) ? '***' : v));
    return text === undefined ? null : (JSON.parse(text) as Json);
  } catch {
    return null;
  }
}

/** The lines of a tap file, validated; blank lines are skipped. A bad line throws, naming its number. */
export function readTap(text: string): TapLine[] {
  const lines: TapLine[] = [];
  for (const [i, lineText] of text.split('\n').entries()) {
    if (lineText.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(lineText);
    } catch {
      throw new Error(`tap line ${i + 1}: not JSON`);
    }
    const parsed = TapLine.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`tap line ${i + 1}: ${issue?.path.join('.') || 'line'}: ${issue?.message ?? 'invalid'}`);
    }
    lines.push(parsed.data);
  }
  return lines;
}
