import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * The hottest functions of V8 CPU profiles (`node --cpu-prof`): self time per function, summed
 * over the profiles in a folder (one per relay), as a share of all samples.
 */
type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
};
type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[] };

export type HotFunction = { name: string; where: string; selfPercent: number; selfMs: number };

export function summariseProfiles(dir: string, top = 15): HotFunction[] {
  const self = new Map<string, { name: string; where: string; hits: number }>();
  let hits = 0;
  let ms = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    let fileHits = 0;
    for (const node of profile.nodes) {
      const n = node.hitCount ?? 0;
      if (!n) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      const name = functionName || '(anonymous)';
      const where = url ? `${basename(url)}:${lineNumber + 1}` : '';
      const key = `${name} ${where}`;
      const entry = self.get(key) ?? { name, where, hits: 0 };
      entry.hits += n;
      self.set(key, entry);
      fileHits += n;
    }
    hits += fileHits;
    ms += (profile.endTime - profile.startTime) / 1000;
  }
  const perHit = hits ? ms / hits : 0;
  return [...self.values()]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, top)
    .map((e) => ({ name: e.name, where: e.where, selfPercent: (100 * e.hits) / hits, selfMs: e.hits * perHit }));
}
