import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The mutation score per folder from Stryker's JSON report (`npm run mutate` writes it): killed
 * and timed-out mutants over all that compile and are not ignored, as Stryker's own "total".
 * Exits 1 when a folder is under `--min` (percent), so that CI can hold each folder to it.
 *
 *   node dist/scripts/mutation/scores.js [reports/mutation/mutation.json] [--min 85]
 */
type Mutant = { status: string };
type Report = { files: Record<string, { mutants: Mutant[] }> };

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

export type FolderScore = { folder: string; detected: number; undetected: number; score: number };

export function scoresByFolder(report: Report): FolderScore[] {
  const folders = new Map<string, { detected: number; undetected: number }>();
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const counts = folders.get(dirname(file)) ?? { detected: 0, undetected: 0 };
    for (const { status } of mutants) {
      if (DETECTED.has(status)) counts.detected++;
      else if (UNDETECTED.has(status)) counts.undetected++;
    }
    folders.set(dirname(file), counts);
  }
  return [...folders]
    .map(([folder, c]) => ({ folder, ...c, score: (100 * c.detected) / Math.max(1, c.detected + c.undetected) }))
    .sort((a, b) => a.folder.localeCompare(b.folder));
}

function main(): void {
  const args = process.argv.slice(2);
  const minAt = args.indexOf('--min');
  const min = minAt >= 0 ? Number(args.splice(minAt, 2)[1]) : 0;
  const file = args[0] ?? 'reports/mutation/mutation.json';
  const scores = scoresByFolder(JSON.parse(readFileSync(file, 'utf8')) as Report);
  for (const s of scores)
    console.log(`${s.folder.padEnd(16)} ${s.score.toFixed(1).padStart(5)}%  ${s.detected} killed, ${s.undetected} not`);
  const low = scores.filter((s) => s.score < min);
  if (low.length > 0) {
    console.log(`under ${min}%: ${low.map((s) => s.folder).join(', ')}`);
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
