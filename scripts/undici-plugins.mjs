// esbuild plugins shared by the build and the bench, so the bench's client runs the HTTP stack
// that ships in dist/undici.js.
import { join } from 'node:path';

/**
 * undici keeps two builds of its HTTP parser (llhttp) as base64 WebAssembly, 72 KB each: the SIMD
 * one is tried first and the plain one is the fallback. Only the plain one ships: parsing HTTP
 * framing is a sliver of a request's time here, and the pair was a fifth of the .vsix.
 */
export const plainLlhttp = {
  name: 'plain-llhttp',
  setup(build) {
    build.onResolve({ filter: /llhttp_simd-wasm\.js$/ }, () => ({ path: 'llhttp-simd-left-out', namespace: 'stub' }));
    // undici's own fallback takes over when this does not compile.
    build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'module.exports = undefined;', loader: 'js' }));
  },
};

/** `require('undici')` inlined as the slim bundle's entry (scripts/undici-slim.cjs). */
export function slimUndici(root) {
  return {
    name: 'slim-undici',
    setup(build) {
      build.onResolve({ filter: /^undici$/ }, () => ({ path: join(root, 'scripts', 'undici-slim.cjs') }));
    },
  };
}
