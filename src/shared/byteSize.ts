// A file's size as the card shows it, in the words the host sends (`{0} KB` reads otherwise in
// some languages): bytes below 1 KB, whole KB below 1 MB, MB with one decimal.

export interface SizeWords {
  bytes: string;
  kilobytes: string;
  megabytes: string;
}

export function formatByteSize(n: number, words: SizeWords): string {
  const fill = (template: string, value: string) => template.replace('{0}', value);
  if (n < 1024) return fill(words.bytes, String(n));
  if (n < 1024 * 1024) return fill(words.kilobytes, (n / 1024).toFixed(0));
  return fill(words.megabytes, (n / 1024 / 1024).toFixed(1));
}
