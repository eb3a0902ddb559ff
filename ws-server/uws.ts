import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Uws from 'uWebSockets.js';

/**
 * Loads the native uWebSockets.js addon directly. The package we use would otherwise fall back,
 * with only a warning, to a slow JavaScript shim; a relay on the shim is not a relay we run.
 */
export function loadNativeUws(): typeof Uws {
  const dir = dirname(createRequire(import.meta.url).resolve('uWebSockets.js/package.json'));
  const file = join(dir, 'binaries', `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`);
  try {
    return createRequire(import.meta.url)(file) as typeof Uws;
  } catch (err) {
    throw new Error(
      `the native uWebSockets.js addon did not load (${file}: ${(err as Error).message}); ` +
        'refusing to start on the JavaScript fallback',
    );
  }
}
