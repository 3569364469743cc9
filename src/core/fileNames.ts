// File names made from prompts. Unicode is kept (a Chinese prompt gives a readable name); what
// no filesystem accepts, what Windows reserves, and path separators are not.

const MAX_SLUG_CHARS = 48;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
// Control characters, path separators and the characters Windows refuses, plus markdown-hostile
// brackets so a link to the file never needs escaping beyond spaces.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f<>:"/\\|?*()[\]{}#%&$!@^`~'=+,;]/g;

/** A short, safe, human-readable base name (no extension) for a prompt. */
export function promptSlug(prompt: string, fallback = 'image'): string {
  let slug = prompt
    .normalize('NFC')
    // Lower-casing can leave marks out of canonical order (İ becomes i + U+0307): normalize again,
    // or a slug would not be its own slug.
    .toLowerCase()
    .normalize('NFC')
    .replace(UNSAFE, ' ')
    // A lone surrogate has no UTF-8 form: the file on disk would not bear the name we link to.
    .replace(/\p{Cs}/gu, ' ')
    .replace(/[\s\u3000。，、；：？！“”‘’（）《》【】]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  slug = truncateByCodePoints(slug, MAX_SLUG_CHARS).replace(/[-.]+$/g, '');
  // Windows reserves a device name whatever extension follows it (`nul.tar.gz` is NUL).
  if (!slug || WINDOWS_RESERVED.test(slug.split('.')[0])) return fallback;
  return slug;
}

function truncateByCodePoints(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : chars.slice(0, max).join('');
}

/** `name.png`, then `name-1.png`, `name-2.png`...: the n-th candidate for a free file name (ext without the dot; may be empty). */
export function numberedName(baseName: string, ext: string, n: number): string {
  const dotExt = ext ? `.${ext}` : '';
  return n === 0 ? `${baseName}${dotExt}` : `${baseName}-${n}${dotExt}`;
}
