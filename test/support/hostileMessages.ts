// Messages a compromised or buggy webview could post: valid shapes, near misses, paths and URIs
// where ids belong, wrong types, huge strings. Deterministic from a seed, so the unit test and the
// e2e (which posts them from inside the real webview) replay the same set.
import { prng } from './testHelpers';

const TYPES = ['ready', 'action', 'generate', 'addReference', 'removeReference', 'remixDrop', 'openFile', 'readFile', 'delete', '', 'ACTION', '__proto__', 'constructor'];
const ACTIONS = ['insert', 'open', 'reveal', 'copyLink', 'copyPrompt', 'regenerate', 'refine', 'useAsReference', 'describe', 'delete', 'exec', 'openExternal', 'readFile', 'toString'];
const ESCAPES = [
  '../../../../etc/hosts.png',
  '/etc/passwd',
  'C:\\Windows\\win.ini',
  '..\\..\\secret.png',
  'file:///etc/passwd',
  'file:///tmp/../etc/hosts.png',
  'file://attacker.example/share/a.png',
  'vscode-resource:/etc/passwd',
  'https://attacker.example/x.png',
  'javascript:alert(1)',
  'command:workbench.action.terminal.new',
  '<img src=x onerror=window.__pwned=1>',
  '</script><script>window.__pwned=1</script>',
  '[click](javascript:window.__pwned=1)',
];

export function hostileMessages(count: number, seed = 0x15eed): unknown[] {
  const rnd = prng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const str = (): unknown =>
    pick([() => pick(ESCAPES), () => 'x'.repeat(Math.floor(rnd() * 70)), () => `id-${Math.floor(rnd() * 1e6)}`, () => 'p'.repeat(20_001), () => 42, () => null, () => ['a'], () => ({ toString: 'x' }), () => ''])();
  const choices = (): unknown =>
    rnd() < 0.5
      ? { aspectRatio: pick(['1:1', '16:9', '99:1', 'x'.repeat(20)]), imageSize: pick(['1K', '4K', '8K', 4]), count: pick([1, 2, 8, 9, 0, -1, 1.5, 1e9, '8']), styleId: pick(['', 'builtin:photo', 'x'.repeat(300)]) }
      : pick([null, 'choices', [], { count: 8 }]);
  const one = (): unknown => {
    const type = pick(TYPES);
    switch (Math.floor(rnd() * 6)) {
      case 0:
        return { type, action: pick(ACTIONS), id: str() };
      case 1:
        return { type, prompt: rnd() < 0.7 ? pick(ESCAPES) : str(), choices: choices() };
      case 2:
        return { type, uri: pick(ESCAPES), path: pick(ESCAPES) };
      case 3:
        return { type, id: str(), extra: { nested: [str(), str()] } };
      case 4:
        return pick([null, undefined, 0, 'ready', [], [{ type: 'ready' }], true, { type: { type: 'ready' } }]);
      default:
        return { type };
    }
  };
  return Array.from({ length: count }, one);
}

/** Safe to run as it is: what the host accepts must name only ids and file URIs, never a path in an id. */
export const SAFE_ID = /^[\w-]{1,64}$/;
