import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';

/** The machine a run measured, for the report. */
export type Machine = {
  cpu: string;
  cores: number;
  ramGb: number;
  kernel: string;
  node: string;
  os: string;
  commit: string;
};

const quiet = (command: string, args: string[]): string => {
  try {
    return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return '?';
  }
};

export function describeMachine(): Machine {
  const osRelease = (() => {
    try {
      return /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '?';
    } catch {
      return '?';
    }
  })();
  return {
    cpu: cpus()[0]?.model.trim() ?? '?',
    cores: cpus().length,
    ramGb: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    os: osRelease,
    commit: quiet('git', ['rev-parse', '--short', 'HEAD']),
  };
}
