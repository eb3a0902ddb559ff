import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFixture } from '../../scripts/fixtures/format.js';
import { playFixture, readOpenings, type OpeningLine } from '../../scripts/fixtures/generate.js';
import { runFixture, type Target } from '../../scripts/fixtures/run.js';
import { projectRoot } from '../../scripts/stack/services.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * Real opening lines (../shared/data/openings, CC0) replayed end to end through two relays, Redis
 * and lila-core: two players alternate the moves, a spectator watches, and every SAN and FEN is
 * checked against chessops' own replay of the line (see scripts/fixtures/generate.ts).
 *
 * One test file per TSV file (a.test.ts … e.test.ts), each with its own stack: FerretDB's SQLite
 * backend scans the whole collection on every update, so many games in one stack get slow.
 */
export const OPENINGS_DIR = join(projectRoot, '..', 'shared', 'data', 'openings');
/** Every 7th line: 545 of the 3,812. */
export const EVERY = Number(process.env.OPENINGS_EVERY ?? 7);

export function replayOpenings(file: string): void {
  const path = join(OPENINGS_DIR, file);
  const lines: OpeningLine[] = existsSync(path)
    ? readOpenings(readFileSync(path, 'utf8')).filter((_, i) => i % EVERY === 0)
    : [];

  /**
   * Fixtures run 8 at a time. Each borrows one of 8 pairs of accounts, so that accounts are made
   * once (their hash is slow on purpose) and no socket hears of another fixture's game on its
   * user channel.
   */
  const SLOTS = 8;
  const idle: Map<string, never>[] = Array.from({ length: SLOTS }, () => new Map<string, never>());
  const queue: ((accounts: Map<string, never>) => void)[] = [];
  const borrow = () =>
    new Promise<Map<string, never>>((resolve) => (idle.length ? resolve(idle.pop()!) : queue.push(resolve)));
  const giveBack = (accounts: Map<string, never>) => (queue.length ? queue.shift()!(accounts) : idle.push(accounts));

  let stack: Stack;
  let target: Target;
  beforeAll(async () => {
    stack = await startStack({ relays: 2 });
    target = { httpUrl: stack.httpUrl, wsUrls: stack.relayUrls };
  }, 60_000);
  afterAll(() => stack?.stop());

  test(`${file} holds opening lines (found ${lines.length} to replay in ${path})`, () => {
    expect(lines.length).toBeGreaterThan(0);
  });

  test.concurrent.each(
    lines.map((line, i) => [`${i * EVERY} ${line.eco} ${line.name}: ${line.sans.join(' ')}`, line] as const),
  )(
    '%s',
    async (title, line) => {
      const fixture = parseFixture(playFixture(title, line.sans), title);
      const accounts = await borrow();
      const outcome = await runFixture(fixture, { ...target, accounts }).finally(() => giveBack(accounts));
      if (!outcome.ok) throw new Error(`line ${outcome.line}: ${JSON.stringify(outcome.step)}\n${outcome.message}`);
    },
    60_000,
  );
}
