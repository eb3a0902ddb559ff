import { loadNativeUws, nativeAddonPath } from '../../ws-server/uws.js';

test('the native uWebSockets.js addon loads for this platform', () => {
  const uws = loadNativeUws();
  expect(nativeAddonPath()).toMatch(/\.node$/);
  expect(typeof uws.App).toBe('function');
  // The JavaScript shim offers App only, no SSLApp.
  expect(typeof uws.SSLApp).toBe('function');
});

test('a missing native addon is refused, never replaced by the JavaScript fallback', () => {
  expect(() => loadNativeUws('/nonexistent/uws_linux_x64_0.node')).toThrow(
    /refusing to start on the JavaScript fallback/,
  );
});
