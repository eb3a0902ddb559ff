import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** What /proc says about processes and the machine: memory and CPU time, read, never guessed. */

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

const read = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** Resident memory of a process in bytes (0 once it is gone). */
export function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(read(`/proc/${pid}/status`) ?? '')?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

/** CPU seconds a process has used so far, in user space and in the kernel, all its threads. */
export function cpuTimes(pid: number): { user: number; system: number } {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return { user: 0, system: 0 };
  // The command name may hold spaces: fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / CLK_TCK, system: Number(fields[12]) / CLK_TCK };
}

/** CPU seconds a process has used so far, user and system. */
export function cpuSeconds(pid: number): number {
  const { user, system } = cpuTimes(pid);
  return user + system;
}

/** This process's CPU seconds (the load generator). */
export const ownCpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/**
 * The cgroup's memory use, which counts kernel socket buffers as well as processes: v2's
 * memory.current, else v1's usage_in_bytes. This is the whole container's cgroup (the load
 * generator included), the one a process here can read.
 */
export function cgroupMemory(): { bytes: number; source: string } | undefined {
  for (const file of ['/sys/fs/cgroup/memory.current', '/sys/fs/cgroup/memory/memory.usage_in_bytes']) {
    const text = existsSync(file) ? read(file) : undefined;
    if (text && /^\d+/.test(text)) return { bytes: Number(text.trim()), source: file };
  }
  return undefined;
}

/** Kernel memory held by TCP sockets machine-wide (both ends of loopback), bytes. */
export function tcpKernelBytes(): number {
  const pages = /TCP:.*\bmem (\d+)/.exec(read('/proc/net/sockstat') ?? '')?.[1];
  return pages ? Number(pages) * 4096 : 0;
}

/** CPU seconds the whole machine has been busy (every core, every process). */
export function machineBusySeconds(): number {
  const fields = (read('/proc/stat') ?? '').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / CLK_TCK;
}

/** Cores kept busy by the whole machine over `ms` (before a run: is anyone else loading it?). */
export async function machineLoad(ms: number): Promise<number> {
  const b0 = machineBusySeconds();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  return (machineBusySeconds() - b0) / ((performance.now() - t0) / 1000);
}

export type CpuUse = {
  servers: number;
  perProcess: Record<number, number>;
  /** The kernel's part of each process's share (system time: sockets, syscalls). */
  systemPerProcess: Record<number, number>;
  generator: number;
  /** Everything else the machine ran meanwhile (other users' processes): a measurement's noise. */
  others: number;
  seconds: number;
};

/** Measures CPU use from now to the call of the function returned: shares of one core (1 = 100%). */
export function cpuMeter(pids: () => number[]) {
  const t0 = performance.now();
  const own0 = ownCpuSeconds();
  const busy0 = machineBusySeconds();
  const before = new Map(pids().map((pid) => [pid, cpuTimes(pid)]));
  return (): CpuUse => {
    const seconds = (performance.now() - t0) / 1000;
    const perProcess: Record<number, number> = {};
    const systemPerProcess: Record<number, number> = {};
    let servers = 0;
    for (const [pid, t] of before) {
      const now = cpuTimes(pid);
      const system = Math.max(0, now.system - t.system) / seconds;
      const used = Math.max(0, now.user - t.user) / seconds + system;
      perProcess[pid] = used;
      systemPerProcess[pid] = system;
      servers += used;
    }
    const generator = (ownCpuSeconds() - own0) / seconds;
    const machine = (machineBusySeconds() - busy0) / seconds;
    return {
      servers,
      perProcess,
      systemPerProcess,
      generator,
      others: Math.max(0, machine - servers - generator),
      seconds,
    };
  };
}

/** The server processes' resident memory, in total and per pid. */
export function rssOf(pids: number[]): { total: number; perProcess: Record<number, number> } {
  const perProcess: Record<number, number> = {};
  let total = 0;
  for (const pid of pids) total += perProcess[pid] = rssBytes(pid);
  return { total, perProcess };
}

/** This process's limit on open files (soft), which caps the sockets it can hold. */
export function fdLimit(): number {
  const soft = /Max open files\s+(\d+)/.exec(read('/proc/self/limits') ?? '')?.[1];
  return soft ? Number(soft) : 1024;
}

/** A short name for a process: the script a Node process runs, else the program. */
export function processName(pid: number): string {
  const args = (read(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean);
  const program = args[0]?.split('/').at(-1) ?? String(pid);
  if (program !== 'node' && !program.startsWith('node')) return program.split(' ')[0];
  const script = args.slice(1).find((a) => !a.startsWith('-'));
  if (!script) return 'node';
  const parts = script.split('/');
  const file = parts.at(-1)!.replace(/\.[cm]?js$/, '');
  return file === 'main' || file === 'index' ? (parts.at(-2) ?? file) : file;
}

/** CPU shares by process name (several processes of one name add up). */
export function byName(perProcess: Record<number, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [pid, v] of Object.entries(perProcess)) {
    const name = processName(Number(pid));
    out[name] = (out[name] ?? 0) + v;
  }
  return out;
}
