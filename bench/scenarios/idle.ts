import { byName, cgroupMemory, cpuMeter, fdLimit, rssOf, tcpKernelBytes } from '../load/proc.js';
import { closeAll, openSeats, seatsFor } from '../load/subscribers.js';
import { sleep, type Scenario } from './types.js';

/**
 * Idle capacity: ramp to N subscribed sockets, in rooms of 200 (a game and its watchers; few rooms, as ours makes each one a real game, saved), then
 * leave them idle. Memory per socket is the growth of the socket servers'
 * resident memory (and of every server process's) divided by the sockets; the cgroup's figure and
 * the kernel's TCP memory count both ends of loopback, so they are quoted as they are.
 *
 * The file-descriptor limit (RLIMIT_NOFILE) caps one process's sockets: the run says so when it
 * asked for fewer sockets than the mode's N because of it.
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

export function plannedSockets(mode: 'quick' | 'full', fdLimit: number): { n: number; limitedBy?: string } {
  const wanted = WANTED[mode];
  const n = Math.min(wanted, Math.floor((fdLimit - SPARE_FDS) / ROOM_SIZE) * ROOM_SIZE);
  return n < wanted
    ? {
        n,
        limitedBy: `the load generator's RLIMIT_NOFILE of ${fdLimit} (the hard limit here; raising it needs CAP_SYS_RESOURCE)`,
      }
    : { n };
}

export const idle: Scenario<IdleResult> = {
  name: 'idle',
  title: 'Idle capacity',
  async run({ target, mode, progress, addresses }) {
    const { n, limitedBy } = plannedSockets(mode, fdLimit());
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
    const opened = await openSeats(
      target,
      seatsFor(rooms, () => ROOM_SIZE),
      {
        width: 200,
        addresses,
        onMessage: () => undefined,
        onOpened: (open) => {
          if (open % every) return;
          samples.push(sample(open));
          if (open % (every * 4) === 0) progress(`${open} sockets open`);
        },
      },
    );
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
    await closeAll(opened.subs);
    return {
      asked: n,
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
