// What the stand-in's text models write when asked for an image prompt.

/**
 * A text-only answer shaped like what a text model writes when asked for an image prompt: a
 * paragraph about the first sentence of the text it was given (markup and tags left out).
 */
export function promptFor(text: string): string {
  const plain = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/^\s*(?:#+|[-*+>]|\d+[.)])\s+/gm, '')
    .replace(/[`*_[\]()!]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const sentence = (plain.match(/^.*?[.!?。！？](?=\s|$)/)?.[0] ?? plain).replace(/[.!?。！？]$/, '');
  const topic = sentence.split(' ').slice(0, 16).join(' ');
  if (!topic) return 'A calm, minimal illustration of an empty page in soft morning light, muted colours, no text.';
  return `An editorial illustration of ${topic.charAt(0).toLowerCase()}${topic.slice(1)}: one clear central subject, a simple composition with soft natural light and a calm, muted palette, no text in the image.`;
}
