// A stand-in for another display language. Every string that goes through l10n.t comes out in
// fullwidth letters ("Ｃａｎｎｏｔ ｒｅａｄ {0}"), its arguments as they are; English that reached the
// text any other way stays in plain ASCII letters, which `englishIn` finds. The arguments a test
// passes on purpose (file names, hosts, codes, a server's own words) are named as data and skipped.

function format(template: string, args: unknown[]): string {
  const values = args.length === 1 && args[0] !== null && typeof args[0] === 'object' ? (args[0] as Record<string, unknown>) : args;
  return template.replace(/\{(\w+)\}/g, (m, key: string) => (key in (values as object) ? String((values as Record<string, unknown>)[key]) : m));
}

/** vscode.l10n.t for the pseudo language: the template's letters become fullwidth, `{n}` placeholders stay. */
export function pseudoT(message: string | { message: string }, ...args: unknown[]): string {
  const template = typeof message === 'string' ? message : message.message;
  const translated = template.replace(/\{\w+\}|[A-Za-z]/g, (m) => (m.length > 1 ? m : String.fromCharCode(m.charCodeAt(0) + 0xfee0)));
  return format(translated, args);
}

/** The English words left in `text` once each of `data` is taken out: what did not go through l10n.t. */
export function englishIn(text: string, data: readonly string[] = []): string[] {
  let rest = text;
  for (const d of [...data].sort((a, b) => b.length - a.length)) rest = rest.split(d).join(' ');
  return rest.match(/[A-Za-z]{2,}/g) ?? [];
}
