/** Where the key in use comes from, in the order keys are looked up. */
export type KeySource = 'secretStorage' | 'environment' | 'none';

export function keySource(stored: string | undefined, environment: string | undefined): KeySource {
  if (stored?.trim()) return 'secretStorage';
  return environment?.trim() ? 'environment' : 'none';
}
