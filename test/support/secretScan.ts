// Looking for a secret in what the extension keeps or shows: every spelling a key can take in a
// text, and everything an error carries, however deep.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';

/** Every spelling of a secret that could end up in a text. */
export function spellings(secret: string): string[] {
  const forms = new Set([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ k: secret }).toString().slice(2),
    encodeURI(secret),
    JSON.stringify(secret).slice(1, -1),
    secret.replace(/\//g, '\\/'),
  ]);
  return [...forms];
}

/** Everything an error carries, however deep: JSON, inspect (with causes), and a walk of its own properties. */
export function errorText(e: unknown): string {
  const seen = new Set<unknown>();
  const walk = (value: unknown, depth: number): string => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return String(value);
    if (seen.has(value) || depth > 8) return '';
    seen.add(value);
    const out: string[] = [];
    if (value instanceof Error) out.push(value.name, value.message, value.stack ?? '', String(value));
    for (const k of Reflect.ownKeys(value)) {
      try {
        out.push(String(k), walk((value as Record<PropertyKey, unknown>)[k], depth + 1));
      } catch {
        // A getter that throws carries nothing.
      }
    }
    return out.join('\n');
  };
  let json: string;
  try {
    json = JSON.stringify(e);
  } catch {
    json = '';
  }
  return [json, inspect(e, { depth: 10, showHidden: true }), walk(e, 0)].join('\n');
}

export function assertNoSecret(secrets: string[], where: string, texts: string[]): void {
  for (const secret of secrets) {
    for (const form of spellings(secret)) {
      for (const text of texts) {
        const at = text.indexOf(form);
        assert.equal(at, -1, `${where}: the key (as ${JSON.stringify(form)}) leaked into: …${text.slice(Math.max(0, at - 120), at + form.length + 40)}…`);
      }
    }
  }
}
