import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subscription } from '../target.js';
import { createCentrifugo } from '../targets/centrifugo.js';
import { createSocketio } from '../targets/socketio.js';
import type { PeerTarget } from './peers.js';

/**
 * Proves each peer target works before the suite measures it: sockets on both servers in two
 * rooms each get exactly their room's payloads, in order; with recovery, a dropped socket and the
 * sockets of a terminated server come back with everything published meanwhile. One line per
 * peer; exit code 1 on any failure. Run: `node dist/bench/peers/smoke.js` after
 * `bash bench/peers/install.sh` and `npx tsc -p .`.
 */
const PER_SERVER = 2;
const PAYLOADS = 20;
const WAIT_MS = 15_000;
const TOTAL_MS = 240_000;

type Probe = { room: string; server: number; got: string[]; closes: number[]; sub: Subscription };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitFor(done: () => boolean, ms = WAIT_MS): Promise<boolean> {
  const until = Date.now() + ms;
  while (!done()) {
    if (Date.now() > until) return false;
    await sleep(20);
  }
  return true;
}

const payload = (room: string, i: number) => `{"t":"smoke","room":"${room}","i":${i},"p":"${'x'.repeat(40)}"}`;

async function smoke(target: PeerTarget, recover: boolean): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `smoke-${target.name}-`));
  const problems: string[] = [];
  await target.start({ serverCpus: '0', dir });
  try {
    const rooms = await target.rooms(2);
    const expected = new Map(rooms.map((r) => [r, [] as string[]]));
    const probes: Probe[] = [];
    for (const room of rooms)
      for (let server = 0; server < 2; server++)
        for (let k = 0; k < PER_SERVER; k++) {
          const probe = { room, server, got: [], closes: [] } as unknown as Probe;
          probe.sub = await target.subscribe({
            server,
            room,
            localAddress: '127.0.0.1',
            onMessage: (p) => probe.got.push(p),
            ...(recover ? { onClose: (code: number) => probe.closes.push(code) } : {}),
          });
          probes.push(probe);
        }
    let seq = 0;
    /** One payload to each room. */
    const publish = () => {
      for (const room of rooms) {
        const p = payload(room, seq);
        expected.get(room)!.push(p);
        target.publish(room, p);
      }
      seq++;
    };
    /**
     * Every socket got each of its room's payloads and nothing else. Plain delivery must be exact
     * and in order; across a recovery, duplicates and reordering are the system's behaviour,
     * reported in `notes`, not failures.
     */
    const notes: string[] = [];
    const check = async (what: string, exact: boolean) => {
      const distinct = (p: Probe) => new Set(p.got).size;
      await waitFor(() => probes.every((p) => distinct(p) >= expected.get(p.room)!.length));
      let duplicates = 0;
      let reordered = 0;
      for (const p of probes) {
        const want = expected.get(p.room)!;
        const got = new Set(p.got);
        const missing = want.filter((w) => !got.has(w)).length;
        const stray = [...got].filter((g) => !want.includes(g)).length;
        const inOrder = [...got].every((g, i) => g === want[i]);
        duplicates += p.got.length - got.size;
        if (!inOrder && !missing && !stray) reordered++;
        if (missing || stray || (exact && (p.got.length !== got.size || !inOrder))) {
          problems.push(
            `${what}: a socket of ${p.room} on server ${p.server} missed ${missing} of ${want.length}` +
              `, got ${stray} from elsewhere, ${p.got.length - got.size} twice${inOrder ? '' : ', out of order'}`,
          );
          if (process.env.SMOKE_DEBUG) console.error(p.got.map((g) => /"i":(\d+)/.exec(g)?.[1]).join(' '));
          return;
        }
      }
      if (duplicates || reordered) notes.push(`${what}: ${duplicates} duplicates, ${reordered} sockets out of order`);
    };
    for (let i = 0; i < PAYLOADS; i++) publish();
    await check('fan-out', true);

    if (recover && problems.length === 0) {
      // A network loss: payloads published while the socket is away must still reach it.
      const dropped = probes[0];
      dropped.sub.close(true);
      for (let i = 0; i < 5; i++) publish();
      await check('drop', false);
      if (dropped.closes.length !== 1) problems.push(`drop: onClose was called ${dropped.closes.length} times`);
      // A deploy: server 0 goes; its sockets move to server 1 and miss nothing.
      const terminate = target.terminate?.bind(target);
      if (terminate) {
        const stopping = terminate(0);
        for (let i = 0; i < 5; i++) publish();
        await stopping;
        for (let i = 0; i < 5; i++) publish();
        await check('deploy', false);
      }
      const stats = target.recovery;
      if (stats.notRecovered > 0 || stats.gaveUp > 0)
        problems.push(`recovery: ${stats.notRecovered} not recovered, ${stats.gaveUp} gave up`);
    }
    for (const p of probes) p.sub.close();
    const r = target.recovery;
    const recovery = recover
      ? `; recovery: ${r.lost} lost, ${r.recovered} recovered, ${r.notRecovered} not${notes.map((n) => `; ${n}`).join('')}`
      : '';
    const summary = `${probes.length} sockets, 2 rooms, 2 servers, ${expected.get(rooms[0])!.length} payloads per room${recovery}`;
    return problems.length ? `✗ ${problems.join('; ')} [${summary}]` : `✓ ${summary}`;
  } finally {
    await target.stop();
  }
}

const peers: [string, () => PeerTarget, boolean][] = [
  ['socketio', () => createSocketio(), false],
  ['socketio (recovery)', () => createSocketio({ recovery: true }), true],
  ['centrifugo', () => createCentrifugo(), false],
  ['centrifugo (recovery)', () => createCentrifugo({ recovery: true }), true],
];

const deadline = setTimeout(() => {
  console.error(`smoke: not done in ${TOTAL_MS / 1000} s`);
  process.exit(1);
}, TOTAL_MS);
let failed = 0;
for (const [label, make, recover] of peers) {
  const target = make();
  const started = Date.now();
  let line: string;
  try {
    line = await smoke(target, recover);
  } catch (err) {
    line = `✗ ${(err as Error).message}`;
  }
  if (line.startsWith('✗')) failed++;
  console.log(`${line.slice(0, 1)} ${label}: ${line.slice(2)} (${Date.now() - started} ms)`);
  console.log(`    ${target.version}`);
}
clearTimeout(deadline);
console.log(`${peers.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
