import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../scripts/stack/services.js';

/**
 * The client is bundled for browsers: it compiles against the DOM with no Node types, and imports
 * nothing but its own files, protocol/ and zod (protocol's schemas).
 */

const clientDir = join(projectRoot, 'client');
const browserConfig = join(clientDir, 'tsconfig.browser.json');
const tsc = join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc');

/** Compiles with the browser configuration; the compiler's complaints, or '' when it is clean. */
function compile(config: string): string {
  try {
    execFileSync(process.execPath, [tsc, '-p', config], { encoding: 'utf8' });
    return '';
  } catch (err) {
    return (err as { stdout: string }).stdout;
  }
}

test('the client compiles for a browser: DOM and ES2022, no Node types', () => {
  expect(compile(browserConfig)).toBe('');
}, 60_000);

test('the same check refuses Node-only code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'client-browser-'));
  try {
    writeFileSync(join(dir, 'probe.ts'), "export const bytes = Buffer.from('x');\n");
    const config = join(dir, 'tsconfig.json');
    writeFileSync(config, JSON.stringify({ extends: browserConfig, files: ['probe.ts'] }));
    expect(compile(config)).toMatch(/Cannot find name 'Buffer'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test('client files import only their neighbours, protocol/ and zod', () => {
  const imports = readdirSync(clientDir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...readFileSync(join(clientDir, f), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]));
  expect(imports.length).toBeGreaterThan(0);
  expect(imports.filter((i) => !/^\.\/[\w-]+\.js$|^\.\.\/protocol\/[\w-]+\.js$|^zod$/.test(i))).toEqual([]);
});
