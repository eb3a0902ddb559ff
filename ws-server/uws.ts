import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Uws from 'uWebSockets.js';

const require = createRequire(import.meta.url);

/** Where the native addon for this platform and Node ABI lives inside the package. */
export const nativeAddonPath = (): string =>
  join(
    dirname(require.resolve('uWebSockets.js/package.json')),
    'binaries',
    `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`,
  );

/**
 * Loads the native uWebSockets.js addon directly. The package we use would otherwise fall back,
 * with only a warning, to a slow JavaScript shim; a relay on the shim is not a relay we run.
 */
export function loadNativeUws(file = nativeAddonPath()): typeof Uws {
  try {
    return require(file) as typeof Uws;
  } catch (err) {
    throw new Error(
      `the native uWebSockets.js addon did not load (${file}: ${(err as Error).message}); ` +
        'refusing to start on the JavaScript fallback',
      { cause: err },
    );
  }
}
