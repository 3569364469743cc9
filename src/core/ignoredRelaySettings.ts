// Where the key goes (geminiImage.baseUrl, geminiImage.authStyle) is read from the User settings only
// (scope `application`): VS Code drops a workspace's, a folder's or a remote machine's value before the
// extension sees it. A relay set in one of those places would silently not apply, and a relay's key
// would go to Google. This finds such values in the settings files themselves, so the user is told
// before the first request.
import { parseJsonc } from './jsonc';

export const RELAY_SETTINGS = ['geminiImage.baseUrl', 'geminiImage.authStyle'] as const;
export type RelaySetting = (typeof RELAY_SETTINGS)[number];

/** Where a settings file sits: its kind decides the words the user reads. */
export type SettingsPlace = { kind: 'workspace'; file: string } | { kind: 'folder'; folder: string; file: string } | { kind: 'remote'; file: string };

export interface SettingsFile {
  place: SettingsPlace;
  /** The file's text (JSON with comments); a workspace file's settings are under "settings". */
  text: string;
  /** A .code-workspace file rather than a settings.json. */
  workspaceFile?: boolean;
}

export interface IgnoredRelaySetting {
  setting: RelaySetting;
  /** The value as written there, made safe to show (no credentials, query or fragment of a URL). */
  shown: string;
  place: SettingsPlace;
}

export interface AppliedRelay {
  baseUrl: string;
  authStyle: string;
}

/** The settings object of a settings.json or a .code-workspace file; undefined when it is not one. */
export function settingsOf(text: string, workspaceFile = false): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = parseJsonc(text);
  } catch {
    return undefined;
  }
  const settings = workspaceFile && isObject(value) ? value.settings : value;
  return isObject(settings) ? settings : undefined;
}

/** The relay values these files set that differ from what applies; each one is ignored by VS Code. */
export function ignoredRelaySettings(files: readonly SettingsFile[], applied: AppliedRelay): IgnoredRelaySetting[] {
  const found: IgnoredRelaySetting[] = [];
  for (const file of files) {
    const settings = settingsOf(file.text, file.workspaceFile);
    if (!settings) continue;
    for (const setting of RELAY_SETTINGS) {
      const value = settings[setting];
      if (typeof value !== 'string' || !value.trim()) continue;
      const differs = setting === 'geminiImage.baseUrl' ? sameUrl(value) !== sameUrl(applied.baseUrl) : value.trim() !== applied.authStyle;
      if (differs) found.push({ setting, shown: setting === 'geminiImage.baseUrl' ? safeUrl(value) : value.trim(), place: file.place });
    }
  }
  return found;
}

/** A key for "the user already answered for exactly these findings and this target". */
export function fingerprint(found: readonly IgnoredRelaySetting[], applied: AppliedRelay): string {
  return JSON.stringify([applied.baseUrl, applied.authStyle, found.map((f) => [f.setting, f.shown, f.place])]);
}

/** scheme://host[:port]/path of a URL, never its user, password, query or fragment. */
export function safeUrl(text: string): string {
  try {
    const url = new URL(text.trim());
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return text.trim().replace(/[?#].*$/s, '').slice(0, 200);
  }
}

function sameUrl(text: string): string {
  return safeUrl(text).replace(/\/+$/, '').toLowerCase();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
