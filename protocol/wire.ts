import { CoreOut } from './core-out.js';

/** The CoreOut wire format: `<header JSON>\n<frame>`. */

const NEWLINE = 0x0a;

export const encodeCoreOut = (header: CoreOut, frame = ''): string => `${JSON.stringify(header)}\n${frame}`;

export type Decoded = { ok: true; header: CoreOut; frame: Buffer } | { ok: false; error: string };

/** Parses the header only; `frame` is a view on the same bytes, never copied. */
export function decodeCoreOut(message: Buffer): Decoded {
  const cut = message.indexOf(NEWLINE);
  if (cut < 0) return { ok: false, error: 'no header line' };
  let json: unknown;
  try {
    json = JSON.parse(message.toString('utf8', 0, cut));
  } catch {
    return { ok: false, error: 'header is not JSON' };
  }
  const header = CoreOut.safeParse(json);
  // Stryker disable next-line OptionalChaining,StringLiteral: a failed parse has at least one issue; the fallback is for the type checker
  if (!header.success) return { ok: false, error: header.error.issues[0]?.message ?? 'bad header' };
  return { ok: true, header: header.data, frame: message.subarray(cut + 1) };
}
