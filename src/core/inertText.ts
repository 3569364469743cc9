// VS Code turns `[label](https:|command:|file:...)` in a notification's text into a link that runs
// or opens its target on a click. Text from a server, a model or a file name is shown as it reads,
// never as a link: a zero-width space between `]` and `(` keeps the words and breaks the syntax.
const LINK_JOIN = /\]\s*\(/g;

export function inertLinks(text: string): string {
  return text.replace(LINK_JOIN, (m) => `]\u200B${m.slice(1)}`);
}
