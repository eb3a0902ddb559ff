import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './services.js';
import { renderNginxConf, type NginxOptions } from './nginx-render.js';

/** The template, read from the source tree (tsc does not copy it to dist/). */
export const nginxTemplate = join(projectRoot, 'nginx', 'lila.conf.template');
/** The web root: the web UI as scripts/build-web.ts builds it from web/. */
export const webRoot = join(projectRoot, 'dist', 'web');

/**
 * Renders the configuration into `<prefix>/lila.conf` and makes the folders nginx writes in;
 * returns the file's path. Run as root (as the local stack often is), the workers stay root:
 * nginx's default worker user could neither enter a private temporary folder nor write there.
 */
export function writeNginxConf(o: Omit<NginxOptions, 'webRoot'> & { webRoot?: string }): string {
  mkdirSync(join(o.prefix, 'temp'), { recursive: true });
  const user = o.user ?? (process.getuid?.() === 0 ? 'root root' : undefined);
  const conf = renderNginxConf(readFileSync(nginxTemplate, 'utf8'), { ...o, webRoot: o.webRoot ?? webRoot, user });
  const file = join(o.prefix, 'lila.conf');
  writeFileSync(file, conf);
  return file;
}
