import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getGame, newGame, newUser } from '../support/api.js';
import { openBrowser, type Browser } from '../support/browser.js';
import { OPERA_GAME, sanLine } from '../support/chess.js';
import { alive, launchOnFreePorts, type Launcher, type LauncherPorts } from '../../scripts/stack/launcher.js';
import type { Stack } from '../../scripts/stack/stack.js';

/**
 * `npm start`'s launcher (dist/scripts/start.js) on free ports, a game played through its nginx,
 * and each kind of child killed with SIGKILL in turn: the launcher starts it again, the stack is
 * healthy again, a lila-core, FerretDB or Redis crash closes no socket, no acknowledged move is
 * lost, and the game goes on.
 */

const status = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(1000) }).then(
    (res) => res.status,
    () => 0,
  );

let launcher: Launcher;
let dir: string;
let ports: LauncherPorts;
const healthUrls = () => [
  `http://127.0.0.1:${ports.nginx}/health`,
  `http://127.0.0.1:${ports.core}/health`,
  ...ports.relays.map((p) => `http://127.0.0.1:${p}/health`),
];

/** Polls every /health (nginx's, lila-core's, each relay's) until all answer 200. */
async function healthy(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const statuses = await Promise.all(healthUrls().map(status));
    if (statuses.every((s) => s === 200)) return;
    if (Date.now() > deadline) throw new Error(`not healthy after ${timeoutMs} ms: ${statuses.join(' ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lila-supervise-'));
  ({ launcher, ports } = await launchOnFreePorts(dir, { DRAIN_SPREAD_MS: '500' }));
  await launcher.line(/^lila-ts is up/, 60_000);
}, 90_000);

afterAll(async () => {
  if (launcher && launcher.child.exitCode === null && launcher.child.signalCode === null) {
    launcher.child.kill('SIGTERM');
    await Promise.race([launcher.exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
  }
  // Whatever a failed run left behind.
  for (const pid of [...(launcher?.pids.values() ?? [])].flat()) if (alive(pid)) process.kill(pid, 'SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 30_000);

const { ucis } = sanLine(OPERA_GAME);
/** Sockets must not close when these die: lila-core and the stores sit behind the relays. */
const BEHIND_THE_RELAYS = new Set(['core', 'ferretdb', 'redis']);

test('each kind of child killed with SIGKILL is started again; the game goes on and loses no move', async () => {
  const edgeHttp = `http://127.0.0.1:${ports.nginx}`;
  // The API through nginx, as a browser calls it.
  const api = { httpUrl: edgeHttp } as Stack;
  const [w, b] = [await newUser(api, 'w'), await newUser(api, 'b')];
  const gameId = await newGame(api, w, b);
  const ws = edgeHttp.replace(/^http/, 'ws');
  const white = await openBrowser(ws, `/play/${gameId}`, w.token);
  const black = await openBrowser(ws, `/play/${gameId}`, b.token);
  const watcher = await openBrowser(ws, `/watch/${gameId}`);
  const all = [white, black, watcher];
  for (const browser of all) await browser.until((x) => x.v === 0, 'got the state');

  let ply = 0;
  const mover = (p: number): Browser => (p % 2 === 0 ? white : black);
  /** The ply's mover moves (unless it already sent it); resolves once acknowledged and seen by everyone. */
  const played = async (sent = false) => {
    const p = ply++;
    if (!sent) mover(p).move(ucis[p], p);
    await mover(p).until((x) => x.acked.includes(p), `got the ack of ply ${p + 1}`, 30_000);
    await Promise.all(all.map((x) => x.until((y) => y.moves.length > p, `got ply ${p + 1}`, 30_000)));
  };

  const healed: Record<string, number> = {};
  for (const name of ['core', 'ferretdb', 'redis', 'relay-1', 'nginx']) {
    await played();
    await played();
    const pid = launcher.pids.get(name)!.at(-1)!;
    const restarted = launcher.line(new RegExp(`^stack\\s+${name} restarted \\(pid (?!${pid}\\))\\d+\\)`));
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    // In flight as lila-core dies: the relay holds it, the new lila-core plays it. As FerretDB
    // dies: saved once it is back, or refused (unavailable) and then made again, as a player would.
    const inFlight = name === 'core' || name === 'ferretdb';
    const refusalsBefore = mover(ply).others.length;
    if (inFlight) mover(ply).move(ucis[ply], ply);
    await restarted;
    await healthy();
    healed[name] = Date.now() - killedAt;
    if (inFlight) {
      const m = mover(ply);
      await m.until((x) => x.acked.includes(ply) || x.others.length > refusalsBefore, 'got an answer', 30_000);
      if (!m.acked.includes(ply)) {
        expect(m.others.slice(refusalsBefore)).toEqual([
          expect.objectContaining({ t: 'error', d: expect.objectContaining({ code: 'unavailable' }) }),
        ]);
        m.move(ucis[ply], ply);
      }
      await played(true);
    }
    // After healing: a move is acknowledged and the opponent sees it.
    await played();
    if (BEHIND_THE_RELAYS.has(name)) for (const x of all) expect(x.closes).toEqual([]);
  }
  console.log(
    `healed after SIGKILL (kill → every /health 200): ${Object.entries(healed)
      .map(([name, ms]) => `${name} ${ms} ms`)
      .join(', ')}`,
  );
  expect(launcher.lines.filter((l) => /exited \(signal SIGKILL\)/.test(l))).toHaveLength(5);
  // Each killed child was started again once, and nothing else died with it (lila-core survived
  // FerretDB's and Redis's deaths, the relays lila-core's).
  expect(Object.fromEntries([...launcher.pids].map(([name, pids]) => [name, pids.length]))).toEqual({
    redis: 2,
    ferretdb: 2,
    core: 2,
    'relay-1': 2,
    'relay-2': 1,
    nginx: 2,
  });

  // Every acknowledged move is saved, each once, in order; every client saw each version once.
  expect((await getGame(api, gameId)).moves).toEqual(ucis.slice(0, ply));
  for (const x of all) {
    expect(x.moves).toEqual(ucis.slice(0, ply));
    expect(x.outOfOrder).toEqual([]);
  }
  // The relay and nginx kills dropped sockets (1006), which came back.
  expect(all.some((x) => x.closes.includes(1006))).toBe(true);
  all.forEach((x) => x.close());

  // SIGTERM stops the stack, relays first and the stores last, and nothing is left running.
  launcher.child.kill('SIGTERM');
  expect(await launcher.exited).toBe(0);
  const stops = launcher.lines.filter((l) => /^stack\s+stopping/.test(l)).map((l) => l.replace(/^stack\s+/, ''));
  expect(stops).toEqual(['stopping relay-1, relay-2', 'stopping nginx', 'stopping core', 'stopping redis, ferretdb']);
  for (const [name, pids] of launcher.pids)
    expect({ name, running: pids.filter(alive) }).toEqual({ name, running: [] });
}, 120_000);
