import type { ScenarioName } from '../scenarios/types.js';
import type { TargetName } from '../target.js';
import type { Results, RunRecord } from './results.js';

/** Shared pieces of the report's sections. */

export const TARGET_ORDER: TargetName[] = ['ours', 'socketio', 'centrifugo'];
export const LABEL: Record<TargetName, string> = { ours: 'ours', socketio: 'Socket.IO', centrifugo: 'Centrifugo' };

/** A chart for bench/charts/: its file name and SVG text. */
export type ChartFile = { file: string; svg: string };
export type Section = { lines: string[]; charts: ChartFile[] };

/** The successful runs' results of a scenario against a target. */
export function resultsOf<R>(results: Results, scenario: ScenarioName, target: TargetName, variant?: string): R[] {
  return results.runs
    .filter((r) => r.ok && r.scenario === scenario && r.target === target && r.variant === variant)
    .map((r) => r.result as R);
}

/** Why a target has no figures for a scenario (its runs failed), one line per distinct reason. */
export function failures(results: Results, scenario: ScenarioName): string[] {
  const seen = new Set<string>();
  return results.runs
    .filter((r: RunRecord) => !r.ok && r.scenario === scenario)
    .map(
      (r) => `${LABEL[r.target]}${r.variant ? ` (${r.variant})` : ''}: ${(r.error ?? '').split('\n')[0].slice(0, 300)}`,
    )
    .filter((line) => !seen.has(line) && (seen.add(line), true))
    .map((line) => `- No figures for ${line}`);
}

export function table(headers: string[], rows: string[][]): string[] {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

/** The targets that took part in a scenario (ran, ok or not). */
export const targetsIn = (results: Results, scenario: ScenarioName): TargetName[] =>
  TARGET_ORDER.filter((t) => results.runs.some((r) => r.scenario === scenario && r.target === t));

/** "(1 run)" or "(median of 3 runs, spread in brackets)". */
export const runsNote = (n: number): string =>
  n <= 1 ? '(1 run: no spread; `--full` runs each scenario 3 times)' : `(median of ${n} runs, range in brackets)`;
