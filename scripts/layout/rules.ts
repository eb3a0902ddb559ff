import { dirname, join, normalize } from 'node:path';

/**
 * The project's layout as rules over its import graph, checked in CI so that it cannot drift:
 * each top-level folder is one component, and imports run one way, tools → runtime, relay and
 * core → protocol and src, never back. A pure function over the source files' text.
 */

/** What each folder may import from the project besides itself. */
export const MAY_IMPORT: Record<string, readonly string[]> = {
  protocol: [],
  client: ['protocol'],
  // The browser's pages (web/src/): the socket client and the messages, nothing of the servers.
  web: ['protocol', 'client'],
  src: ['protocol'],
  'ws-server': ['protocol', 'src'],
  'lila-core': ['protocol', 'src'],
  scripts: ['protocol', 'src', 'client'],
  bench: ['protocol', 'src', 'scripts', 'client'],
  test: ['protocol', 'client', 'src', 'ws-server', 'lila-core', 'scripts', 'bench', 'web'],
};

/** Production code of the relay and the core: small files, and no frame written by hand. */
const PRODUCTION = ['ws-server', 'lila-core'];
export const MAX_PRODUCTION_LINES = 250;

export type Violation = { file: string; rule: 'import' | 'cycle' | 'size' | 'hand-written-json'; message: string };

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/** `JSON.stringify(`, or a string literal that opens a JSON object: `'{"t":...'`. */
const HAND_WRITTEN_JSON = /JSON\.stringify\(|['"`]\{"/;

/** Comments may show frames as they look on the wire. */
const withoutComments = (text: string): string =>
  text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');

const folderOf = (file: string): string => file.split('/')[0];

/** The project files `file` imports, as paths from the root (`.js` specifiers name `.ts` files). */
export function importsOf(file: string, text: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) => normalize(join(dirname(file), m[1])).replace(/\.js$/, '.ts'));
}

export function checkLayout(files: ReadonlyMap<string, string>): Violation[] {
  const violations: Violation[] = [];
  const graph = new Map<string, string[]>();
  for (const [file, text] of files) {
    const from = folderOf(file);
    const allowed = MAY_IMPORT[from];
    const targets = importsOf(file, text);
    graph.set(
      file,
      targets.filter((t) => files.has(t)),
    );
    for (const target of targets) {
      const to = folderOf(target);
      if (to === from || allowed?.includes(to)) continue;
      violations.push({
        file,
        rule: 'import',
        message: `${from}/ may not import ${to}/ (${target})${allowed ? `; it may import ${allowed.join(', ') || 'nothing else'}` : ''}`,
      });
    }
    if (PRODUCTION.includes(from)) {
      const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      if (lines > MAX_PRODUCTION_LINES)
        violations.push({
          file,
          rule: 'size',
          message: `${lines} lines; production files stay under ${MAX_PRODUCTION_LINES}`,
        });
      if (HAND_WRITTEN_JSON.test(withoutComments(text)))
        violations.push({
          file,
          rule: 'hand-written-json',
          message: 'builds JSON by hand; frames and bodies go through their encoder in protocol/',
        });
    }
  }
  for (const cycle of cyclesOf(graph))
    violations.push({ file: cycle[0], rule: 'cycle', message: `import cycle: ${[...cycle, cycle[0]].join(' → ')}` });
  return violations;
}

/** Each strongly connected group of more than one file (or a file importing itself), by Tarjan. */
export function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1 || graph.get(node)?.includes(node)) found.push(group.reverse());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}
