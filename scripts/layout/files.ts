import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MAY_IMPORT } from './rules.js';

/** Every TypeScript source file of the checked folders, keyed by its path from `root`. */
export function sourceFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else if (entry.name.endsWith('.ts')) files.set(relative(root, path), readFileSync(path, 'utf8'));
    }
  };
  for (const folder of Object.keys(MAY_IMPORT)) walk(join(root, folder));
  return files;
}
