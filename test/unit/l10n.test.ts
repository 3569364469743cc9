// Every user-facing string exists in every shipped language, and no translation breaks what the
// code or VS Code relies on: `{0}` placeholders, `${variables}`, `command:` links, setting ids and
// backticked identifiers. Manifest strings: package.nls.<lang>.json; code strings (vscode.l10n.t
// and the built-in styles' names and descriptions): l10n/bundle.l10n.<lang>.json.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';

/** The languages shipped besides English (the keys). Adding one here makes every check cover it. */
const LANGUAGES = ['zh-cn', 'zh-tw', 'ja', 'ko', 'th', 'vi'] as const;
type Language = (typeof LANGUAGES)[number];

/** The repository root: the first folder above this file with the extension's package.json. */
function repoRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'gemini-image-studio') return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json of gemini-image-studio above ${__dirname}`);
  }
}

const root = repoRoot();
const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(root, file), 'utf8')) as T;
type Table = Record<string, unknown>;

/** The keys code strings must have in every bundle, from scripts/l10n-keys.mjs (ESM, so imported). */
async function codeKeys(): Promise<string[]> {
  const mod = (await import(pathToFileURL(join(root, 'scripts', 'l10n-keys.mjs')).href)) as { l10nKeys(src?: string): string[] };
  return mod.l10nKeys(join(root, 'src'));
}

const all = (text: string, re: RegExp): string[] => [...text.matchAll(re)].map((m) => m[1] ?? m[0]);
const sortedSet = (items: string[]): string[] => [...new Set(items)].sort();

const PLACEHOLDER = /\{\d+\}/g;
const VARIABLE = /\$\{[^}]*\}/g;
const BACKTICKED = /`[^`\n]+`/g;
const COMMAND_LINK = /\]\((command:[^)\s]+)\)/g;
const SETTING_ID = /\b((?:geminiImage|http)\.[A-Za-z][\w.]*[A-Za-z])/g;

// Names and acronyms that stay as they are in every language; what is left are the words a reader
// must be able to read in their own language.
const KEPT_AS_IS = /Gemini Image Studio|Gemini|VS Code|Files API|API|URL|HTTPS?|https?|PNG|JPEG|WebP|Markdown|Ctrl\+Enter|Enter|base64/g;
function ordinaryWords(english: string): string[] {
  const stripped = english
    .replace(COMMAND_LINK, ' ')
    .replace(BACKTICKED, ' ')
    .replace(VARIABLE, ' ')
    .replace(PLACEHOLDER, ' ')
    .replace(SETTING_ID, ' ')
    .replace(KEPT_AS_IS, ' ');
  return stripped.match(/\b[A-Za-z]{3,}\b/g) ?? [];
}

/** Two or more ordinary words (e.g. "Open Settings", not "Gemini Image" or "Prompt"): must be translated. */
const needsTranslation = (english: string): boolean => ordinaryWords(english).length >= 2;

/** Text a translation into the language must contain (a copy of the English or of another language fails). */
const SCRIPT: Record<Language, RegExp> = {
  'zh-cn': /\p{Script=Han}/u,
  'zh-tw': /\p{Script=Han}/u,
  ja: /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u,
  ko: /\p{Script=Hangul}/u,
  th: /\p{Script=Thai}/u,
  vi: /[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]/iu,
};
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
// Characters that exist only in one of the two Chinese scripts: Simplified text in the Traditional
// files (or the reverse) is the mistake a copy-and-convert makes.
const SIMPLIFIED_ONLY = /[图设选择发开删复请这个们时为与从无没说输键证让对应钥项级页当还进过关门见处标视语据储长区务动检编辑码结网络线连传认错误显写读书话记头点间实现样风数张终经给详试载转换变执将么丢计权访问题库资讯优质简单节导览]/u;
const TRADITIONAL_ONLY = /[圖設選擇發開刪復複請這個們時為與從無沒說輸鍵證讓對應鑰項級頁當還進過關門見處標視語據儲長區務動檢編輯碼結網絡線連傳認錯誤顯寫讀書話記頭點間實現樣風數張終經給詳試載轉換變執將麼丟計權訪問題庫資訊優質簡單節導覽]/u;

/** What is wrong with one translation; empty when it is fine. */
function problems(lang: Language, english: string, value: unknown): string[] {
  if (typeof value !== 'string' || !value.trim()) return ['is empty or not text'];
  const out: string[] = [];
  const same = (what: string, re: RegExp) => {
    const want = sortedSet(all(english, re));
    const got = sortedSet(all(value, re));
    if (want.join('\n') !== got.join('\n')) out.push(`${what}: English has ${JSON.stringify(want)}, translation ${JSON.stringify(got)}`);
  };
  const kept = (what: string, re: RegExp) => {
    const missing = sortedSet(all(english, re)).filter((s) => !value.includes(s));
    if (missing.length > 0) out.push(`${what} missing: ${JSON.stringify(missing)}`);
  };
  same('placeholders', PLACEHOLDER);
  same('${variables}', VARIABLE);
  same('command: links', COMMAND_LINK);
  kept('backticked text', BACKTICKED);
  kept('setting ids', SETTING_ID);
  if (all(english, /\]\(/g).length !== all(value, /\]\(/g).length) out.push('a different number of markdown links');
  if (english.split('\n').length !== value.split('\n').length) out.push('a different number of lines');
  if (needsTranslation(english)) {
    if (value === english) out.push('is the English text');
    else if (!SCRIPT[lang].test(value)) out.push(`has no ${lang} text`);
    // A Japanese word may be all kanji ("線画"); a Japanese sentence never is (that is Chinese).
    else if (lang === 'ja' && ordinaryWords(english).length >= 4 && !KANA.test(value)) out.push('has no kana: Chinese, not Japanese?');
  }
  if (lang === 'zh-tw' && SIMPLIFIED_ONLY.test(value)) out.push(`has Simplified Chinese: ${value.match(SIMPLIFIED_ONLY)?.[0]}`);
  if (lang === 'zh-cn' && TRADITIONAL_ONLY.test(value)) out.push(`has Traditional Chinese: ${value.match(TRADITIONAL_ONLY)?.[0]}`);
  return out;
}

/** Missing keys, stale keys and bad translations of one table, as readable lines. */
function check(lang: Language, file: string, english: Record<string, string>): string[] {
  const table = readJson<Table>(file);
  const report: string[] = [];
  for (const key of Object.keys(english)) {
    if (!(key in table)) report.push(`${file}: missing ${JSON.stringify(key)}`);
    else for (const p of problems(lang, english[key], table[key])) report.push(`${file}: ${JSON.stringify(key)} ${p}`);
  }
  for (const key of Object.keys(table)) if (!(key in english)) report.push(`${file}: stale key ${JSON.stringify(key)} (not in the English)`);
  return report;
}

/** Code strings that tell the user to run a command, and that command's title key. */
const MESSAGES_NAMING_COMMANDS: [message: string, command: string][] = [
  ['No images yet. Describe one above, or run "Gemini Image: Generate Image" from the Command Palette.', 'command.generate'],
  ['The Gemini Images panel could not be restored. Run "Gemini Image: Show Images" to open it again.', 'command.showPanel'],
];

const englishNls = readJson<Record<string, string>>('package.nls.json');

describe('English sources', () => {
  test('every %key% of package.json is in package.nls.json, and every key there is used', () => {
    const manifest = readFileSync(join(root, 'package.json'), 'utf8');
    const used = sortedSet(all(manifest, /"%([^%"\s]+)%"/g));
    assert.deepEqual(used.filter((k) => !(k in englishNls)), [], 'referenced by package.json but not in package.nls.json');
    assert.deepEqual(Object.keys(englishNls).filter((k) => !used.includes(k)), [], 'in package.nls.json but not used by package.json');
  });

  test('the code has localizable strings, including the built-in styles', async () => {
    const keys = await codeKeys();
    assert.ok(keys.length > 100, `only ${keys.length} keys`);
    for (const k of ['Set API Key', 'Article cover', 'Pixel art']) assert.ok(keys.includes(k), k);
  });

  test('the checks catch what they should', () => {
    assert.deepEqual(problems('ja', 'Delete {0}?', '{0} を削除しますか?'), []);
    assert.match(problems('ja', 'Delete {0}?', '{1} を削除しますか?').join(), /placeholders/);
    assert.match(problems('ko', 'Open Settings', 'Open Settings').join(), /English/);
    assert.match(problems('th', 'Open Settings', '設定を開く').join(), /no th text/);
    assert.match(problems('zh-tw', 'Open Settings', '打开设置').join(), /Simplified/);
    assert.match(problems('ja', 'Pick a style for the image', '为图片选择风格').join(), /kana/);
    assert.match(problems('vi', 'See [Set Key](command:a.b)', 'Xem [Đặt khóa](command:a.c)').join(), /command: links/);
    assert.match(problems('zh-cn', 'Use `${prompt}` in "geminiImage.styles".', '在设置中使用 `${prompt}`。').join(), /setting ids/);
    assert.deepEqual(problems('vi', 'Prompt', 'Prompt'), []);
    assert.deepEqual(problems('zh-cn', 'Gemini Image: {0}', 'Gemini Image: {0}'), []);
    assert.match(problems('ko', 'Copy', '').join(), /empty/);
  });
});

for (const lang of LANGUAGES) {
  describe(`${lang}`, () => {
    test(`package.nls.${lang}.json has every manifest string, translated`, () => {
      const report = check(lang, `package.nls.${lang}.json`, englishNls);
      assert.deepEqual(report, [], report.join('\n'));
    });

    test(`l10n/bundle.l10n.${lang}.json has every code string, translated, and no stale ones`, async () => {
      const keys = await codeKeys();
      const report = check(lang, `l10n/bundle.l10n.${lang}.json`, Object.fromEntries(keys.map((k) => [k, k])));
      assert.deepEqual(report, [], report.join('\n'));
    });

    test('command titles keep their English name, so the palette and docs can name them', () => {
      const nls = readJson<Record<string, string>>(`package.nls.${lang}.json`);
      for (const key of ['command.generate', 'command.generateFromSelection', 'command.editImage', 'command.combineImages']) {
        const english = englishNls[key].replace(/\.\.\.$/, '');
        assert.ok(nls[key]?.includes(english), `${key}: "${nls[key]}" should show "${english}"`);
      }
    });

    test('messages that name a command use its localized title', () => {
      const nls = readJson<Record<string, string>>(`package.nls.${lang}.json`);
      const bundle = readJson<Record<string, string>>(`l10n/bundle.l10n.${lang}.json`);
      for (const [message, command] of MESSAGES_NAMING_COMMANDS) {
        if (!(message in bundle)) continue; // the message is gone from the code: the key test says so
        assert.ok(bundle[message].includes(nls[command]), `"${bundle[message]}" should name "${nls[command]}" (${command})`);
      }
    });
  });
}
