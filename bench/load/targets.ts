import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Target, TargetName } from '../target.js';

export const TARGETS: TargetName[] = ['ours', 'socketio', 'centrifugo'];

/** `recovery`: the drop-and-deploy scenario's setting (Socket.IO connection state recovery, Centrifugo history). */
export type TargetOptions = { recovery?: boolean };

const targetsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'targets');

/**
 * A fresh target, by name, from bench/targets/<name>.ts (compiled). Loaded when asked, so that a
 * peer whose file is missing or broken costs its own results only. The module may export the
 * target or a function making one from `options`, as `default`, `createTarget` or `target`.
 */
export async function loadTarget(name: TargetName, options: TargetOptions = {}): Promise<Target> {
  const file = join(targetsDir, `${name}.js`);
  if (!existsSync(file)) throw new Error(`bench/targets/${name}.ts is not there (or not built)`);
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const made = mod.default ?? mod.createTarget ?? mod.target;
  const target = (
    typeof made === 'function' ? await (made as (o: TargetOptions) => Target | Promise<Target>)(options) : made
  ) as Target | undefined;
  if (!target || typeof target.start !== 'function') throw new Error(`bench/targets/${name}.ts exports no target`);
  return target;
}
