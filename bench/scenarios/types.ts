import type { Target, TargetName } from '../target.js';

export type Mode = 'quick' | 'full';

/** What a scenario gets: a started target, and where to say how far it is. */
export type ScenarioContext = {
  target: Target;
  mode: Mode;
  /** A progress line: the step, for the run to print with the scenario and the elapsed time. */
  progress: (step: string) => void;
  /** 127.0.0.x source addresses to spread sockets over. */
  addresses: string[];
};

export type Scenario<R = unknown> = {
  name: ScenarioName;
  title: string;
  /** The targets it applies to; absent: all. */
  only?: TargetName[];
  /** Targets are made with recovery on (Socket.IO connection state recovery, Centrifugo history). */
  recovery?: boolean;
  /** Whether the target can run it at all (e.g. a deploy needs `terminate`); a reason when not. */
  unsupported?: (target: Target) => string | undefined;
  run(ctx: ScenarioContext): Promise<R>;
};

export const SCENARIOS = ['idle', 'fanout', 'moves', 'sitein', 'churn'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `done` every 50 ms until true or `ms` passed; whether it came true. */
export async function waitFor(done: () => boolean, ms: number): Promise<boolean> {
  const until = performance.now() + ms;
  while (!done()) {
    if (performance.now() > until) return false;
    await sleep(50);
  }
  return true;
}
