import { sourceFiles } from './layout/files.js';
import { checkLayout } from './layout/rules.js';
import { projectRoot } from './stack/services.js';

/**
 * `npm run layout`: the layout rules of scripts/layout/rules.ts over the whole source tree (the
 * README's "Where things are"). Prints each violation and exits 1 if there is any.
 */
const violations = checkLayout(sourceFiles(projectRoot));
for (const v of violations) console.error(`${v.file}: ${v.rule}: ${v.message}`);
console.log(violations.length ? `${violations.length} layout violations` : 'layout: every rule holds');
process.exitCode = violations.length ? 1 : 0;
