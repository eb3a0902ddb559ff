import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from './stack/services.js';

/**
 * Builds the web UI into the web root nginx serves, `dist/web/`: one ES module bundle `app.js`
 * from web/src/main.ts (the client library, protocol's schemas, chessground and chessops inside),
 * one stylesheet `app.css` from the CSS it imports (chessground's board and pieces inlined), and
 * the static files. Run by scripts/ensure.sh and `npm run build` after tsc; esbuild checks no
 * types (`tsc -p web` does), so this takes well under a second.
 */
export const webOut = join(projectRoot, 'dist', 'web');
const web = join(projectRoot, 'web');

/** Bundled code under another licence than ours keeps its notice (GPL-3.0-or-later §4-5). */
const THIRD_PARTY = [
  {
    name: '@lichess-org/chessground',
    licence: 'GPL-3.0-or-later',
    file: 'node_modules/@lichess-org/chessground/LICENSE',
  },
  { name: 'chessops', licence: 'GPL-3.0-or-later', file: 'node_modules/chessops/LICENSE.txt' },
];
const BANNER = `/*! lila-ts web UI, AGPL-3.0-or-later. Bundles ${THIRD_PARTY.map((p) => `${p.name} (${p.licence})`).join(', ')}; their licences: /LICENSES.txt */`;

export async function buildWeb(o: { minify?: boolean } = {}): Promise<void> {
  rmSync(webOut, { recursive: true, force: true });
  mkdirSync(webOut, { recursive: true });
  await build({
    // main.ts imports web/static/app.css (and pages their own CSS): esbuild writes them as app.css.
    entryPoints: { app: join(web, 'src', 'main.ts') },
    outdir: webOut,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    minify: o.minify ?? true,
    sourcemap: true,
    // Chessground's piece images are data: URLs inside its CSS; nothing else is loaded from files.
    loader: { '.svg': 'dataurl', '.png': 'dataurl' },
    legalComments: 'eof',
    banner: { js: BANNER, css: BANNER },
    logLevel: 'warning',
  });
  copyFileSync(join(web, 'static', 'index.html'), join(webOut, 'index.html'));
  writeFileSync(
    join(webOut, 'LICENSES.txt'),
    THIRD_PARTY.map((p) => `${p.name} (${p.licence})\n\n${readFileSync(join(projectRoot, p.file), 'utf8')}`).join(
      `\n${'='.repeat(72)}\n\n`,
    ),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  buildWeb().catch((err: Error) => {
    console.error(`build-web: ${err.message}`);
    process.exit(1);
  });
