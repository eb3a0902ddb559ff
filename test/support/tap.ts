import { readFileSync } from 'node:fs';
import { readTap, type TapLine } from '../../src/tap.js';

/** The complete lines of a TAP file so far (a line being written is left for the next look). */
export function tapLines(file: string): TapLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return readTap(text.slice(0, text.lastIndexOf('\n') + 1));
}

/**
 * Reads the file until `done` holds for its lines, bounded in time. Processes write their TAP
 * lines on their own schedule: there is no event to await, so the file is looked at every 25 ms.
 */
export async function tapUntil(
  file: string,
  done: (lines: TapLine[]) => boolean,
  timeoutMs = 5000,
): Promise<TapLine[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = tapLines(file);
    if (done(lines)) return lines;
    if (Date.now() > deadline) throw new Error(`the tap never got there; it holds:\n${JSON.stringify(lines)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
