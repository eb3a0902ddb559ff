import { byName, cgroupMemory, cpuMeter, fdLimit, rssOf, tcpKernelBytes } from '../load/proc.js';
import { openSpread } from '../load/spread.js';
import { closeAll, openSeats, seatsFor } from '../load/subscribers.js';
import { sleep, type Scenario } from './types.js';

/**
 * Idle capacity: ramp to N subscribed sockets, in rooms of 200 (a game and its watchers; few rooms, as ours makes each one a real game, saved), then
 * leave them idle. Memory per socket is the growth of the socket servers'
 * resident memory (and of every server process's) divided by the sockets; the cgroup's figure and
 * the kernel's TCP memory count both ends of loopback, so they are quoted as they are.
 *
 * The file-descriptor limit (RLIMIT_NOFILE) caps one process's sockets, on both sides: the load
 * generator spreads its sockets over several processes (bench/load/spread.ts) when the target can
 * be attached to from another process, and the sockets alternate between the two socket servers,
 * so each server is filled to its own limit. The run says so when it asked for fewer sockets than
 * the mode's N because of that limit.
 */
export type MemorySample = {
  sockets: number;
  seconds: number;
  /** Bytes: the two socket servers, all server processes, the cgroup, kernel TCP buffers. */
  socketServers: number;
  servers: number;
  cgroup?: number;
  tcpKernel: number;
};

export type IdleResult = {
  asked: number;
  /** Load generator processes the sockets were spread over. */
  generatorProcesses?: number;
  sockets: number;
  failed: number;
  firstError?: string;
  limitedBy?: string;
  rooms: number;
  connectPerSecond: number;
  samples: MemorySample[];
  /** Bytes per socket, growth from before the first socket to after the idle period. */
  perSocket: { socketServers: number; servers: number; cgroup?: number; tcpKernel: number };
  cgroupSource?: string;
  /** CPU at idle, as a share of one core: all server processes (and by process), and the load generator. */
  idleCpu: { servers: number; generator: number; others: number; seconds: number; byProcess: Record<string, number> };
  /** CPU while sockets were opening: what bounds the connect rate. */
  rampCpu: { servers: number; generator: number; byProcess: Record<string, number> };
};

const ROOM_SIZE = 200;
const WANTED = { quick: 10_000, full: 100_000 };
/** Descriptors this process keeps for itself (Redis, HTTP, files). */
const SPARE_FDS = 500;

/**
 * Sockets to open: the mode's N, at most what the two socket servers hold under `fdLimit` each
 * (the generator's processes are as many as that needs); `processes`: generator processes.
 */
export function plannedSockets(
  mode: 'quick' | 'full',
  fdLimit: number,
): { n: number; processes: number; limitedBy?: string } {
  const wanted = WANTED[mode];
  const perProcess = Math.floor((fdLimit - SPARE_FDS) / ROOM_SIZE) * ROOM_SIZE;
  const n = Math.min(wanted, 2 * perProcess);
  // At least two, so that the path a full run takes is the quick run's too.
  const processes = Math.max(2, Math.ceil(n / perProcess));
  return n < wanted
    ? {
        n,
        processes,
        limitedBy: `RLIMIT_NOFILE of ${fdLimit} per process (the hard limit here; raising it needs CAP_SYS_RESOURCE): each of the two socket servers holds at most ${perProcess.toLocaleString('en-US')} sockets; the generator spread its sockets over ${processes} processes`,
      }
    : { n, processes };
}

export const idle: Scenario<IdleResult> = {
  name: 'idle',
  title: 'Idle capacity',
  async run({ target, mode, progress, addresses }) {
    const { n, processes, limitedBy } = plannedSockets(mode, fdLimit());
    progress(`creating ${n / ROOM_SIZE} rooms`);
    const rooms = await target.rooms(n / ROOM_SIZE);
    const socketPids = () => target.socketServerPids?.() ?? target.serverPids();
    const cg = cgroupMemory();
    const t0 = performance.now();
    const sample = (sockets: number): MemorySample => ({
      sockets,
      seconds: (performance.now() - t0) / 1000,
      socketServers: rssOf(socketPids()).total,
      servers: rssOf(target.serverPids()).total,
      cgroup: cgroupMemory()?.bytes,
      tcpKernel: tcpKernelBytes(),
    });
    await sleep(1000);
    const samples = [sample(0)];
    const every = Math.max(1, Math.floor(n / 20));
    progress(`ramping to ${n} sockets`);
    const rampMeter = cpuMeter(() => target.serverPids());
    let sampled = 0;
    const onOpened = (open: number) => {
      if (open < sampled + every) return;
      sampled = open - (open % every);
      samples.push(sample(open));
      if (sampled % (every * 4) === 0) progress(`${open} sockets open`);
    };
    const seats = seatsFor(rooms, () => ROOM_SIZE);
    const opened = target.clientSpec
      ? await openSpread(target, seats, { processes, width: 200, addresses, onOpened })
      : await openSeats(target, seats, { width: 200, addresses, onMessage: () => undefined, onOpened }).then((o) => ({
          ...o,
          close: () => closeAll(o.subs),
        }));
    const ramp = rampMeter();
    const sockets = n - opened.failed;
    const connectPerSecond = sockets / opened.seconds;
    progress(`${sockets} open (${Math.round(connectPerSecond)}/s); idling`);
    await sleep(mode === 'quick' ? 2000 : 10_000);
    const meter = cpuMeter(() => target.serverPids());
    await sleep(mode === 'quick' ? 3000 : 15_000);
    const cpu = meter();
    const last = sample(sockets);
    samples.push(last);
    const base = samples[0];
    const per = (k: 'socketServers' | 'servers' | 'tcpKernel') => (last[k] - base[k]) / Math.max(1, sockets);
    await opened.close();
    return {
      asked: n,
      generatorProcesses: target.clientSpec ? processes : 1,
      sockets,
      failed: opened.failed,
      firstError: opened.firstError,
      limitedBy,
      rooms: rooms.length,
      connectPerSecond,
      samples,
      perSocket: {
        socketServers: per('socketServers'),
        servers: per('servers'),
        cgroup:
          last.cgroup !== undefined && base.cgroup !== undefined
            ? (last.cgroup - base.cgroup) / Math.max(1, sockets)
            : undefined,
        tcpKernel: per('tcpKernel'),
      },
      cgroupSource: cg?.source,
      idleCpu: {
        servers: cpu.servers,
        generator: cpu.generator,
        others: cpu.others,
        seconds: cpu.seconds,
        byProcess: byName(cpu.perProcess),
      },
      rampCpu: { servers: ramp.servers, generator: ramp.generator, byProcess: byName(ramp.perProcess) },
    };
  },
};
