// The settings a folder's own .vscode/settings.json may not choose while the workspace is not
// trusted: where the key goes, what is spent, where files land. Listed once: the manifest's
// `restrictedConfigurations` must match (test/unit/restrictedSettings.test.ts).
export const RESTRICTED_SETTINGS = [
  'baseUrl',
  'authStyle',
  'model',
  'imageSize',
  'count',
  'destination',
  'allowOutsideWorkspace',
  'promptWriter.geminiModel',
  // The price shown before spending (chat tool confirmation, CodeLens): a folder must not set it to 0.
  'pricePerImage',
] as const;

export type RestrictedSetting = (typeof RESTRICTED_SETTINGS)[number];

export function isRestrictedSetting(name: string): name is RestrictedSetting {
  return (RESTRICTED_SETTINGS as readonly string[]).includes(name);
}

/** What `inspect()` reports, reduced to the layers an untrusted workspace may not override. */
export interface InspectedValue<T> {
  defaultValue?: T;
  globalValue?: T;
}

/** The user's value, else the default, else `fallback`: never a workspace or folder value. */
export function userOrDefault<T>(inspected: InspectedValue<T> | undefined, fallback: T): T {
  return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
}
