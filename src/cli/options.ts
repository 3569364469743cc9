// The command line: `gemini-image fill|check|generate`, read with util.parseArgs, and the endpoint
// from the environment (GEMINI_API_KEY, GEMINI_BASE_URL, GEMINI_AUTH_STYLE) or the flags.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { automaticImageModel } from '../core/models';
import { DEFAULT_BASE_URL } from '../gemini/request';

/** Without --model or GEMINI_IMAGE_MODEL the endpoint's models list decides; this is the catalogue's pick when it cannot. */
const DEFAULT_MODEL = automaticImageModel(undefined, new Date());
import type { AuthStyle, Endpoint } from '../gemini/types';
import { ALL_ASPECT_RATIOS } from '../docs/imageSpec';

export class UsageError extends Error {}

export const DEFAULT_ASPECT_RATIO = '1:1';

export const HELP = `gemini-image: docs that make their own images, with Google's Gemini image models.

Usage:
  gemini-image fill <paths...> [--mode auto|now|flex|batch] [--dry-run] [--yes] [--model M] [--json]
      Generates every missing and stale image linked from the markdown files under <paths>,
      at exactly the linked path. A batch run that is interrupted is resumed by the next fill.
  gemini-image check <paths...> [--json]
      Lists missing and stale images; exits 1 when there are any (for CI).
  gemini-image generate "<prompt>" --out <file> [--aspect-ratio R] [--size S] [--model M]
      Makes one image (never overwrites: a taken name gets -1, -2...).

Options:
  --mode auto|now|flex|batch
                          now: standard price, in parallel; flex: the Flex tier at half price,
                          synchronous but minutes per image, each written as it arrives (a shed
                          request is retried, never sent at the standard price); batch: Google's
                          Batch API at half price, minutes to hours; auto (default): flex for 5 to
                          19 images when the model takes it, batch from --batch-threshold images
                          on (default 20) when the server has it, now otherwise.
  --dry-run               Show the plan and stop.
  --yes, -y               Do not ask before generating (needed without a terminal).
  --model M               Model for images whose comment names none (or GEMINI_IMAGE_MODEL;
                          default: the first of the catalogue's order that the endpoint's models
                          list has, cached a day; ${DEFAULT_MODEL} when it cannot list).
  --size S, --aspect-ratio R   Defaults for images whose comment names none.
  --root DIR              The workspace root (default: the nearest folder with .git, else cwd).
                          Links outside it are ignored.
  --concurrency N         Parallel requests in now mode (default 4, at most 8).
  --json                  One JSON document on stdout instead of lines.
  --base-url URL          Or GEMINI_BASE_URL (default ${DEFAULT_BASE_URL}).
  --auth-style S          x-goog-api-key (default), bearer or query; or GEMINI_AUTH_STYLE.
  --api-key-file FILE     Read the key from a file instead of GEMINI_API_KEY.
  --help, -h              This text.

Proxies: HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured.
Exit codes: 0 done; 1 images failed, are pending, or (check) are missing or stale; 2 usage error.
Replaced images are kept in the cache folder's trash (the path is printed), never deleted.
`;

export interface CliOptions {
  command: 'fill' | 'check' | 'generate' | 'help';
  positionals: string[];
  mode: 'auto' | 'now' | 'flex' | 'batch';
  dryRun: boolean;
  yes: boolean;
  json: boolean;
  model: string;
  /** Neither --model nor GEMINI_IMAGE_MODEL: the endpoint's models list decides. */
  modelIsAutomatic: boolean;
  imageSize?: string;
  aspectRatio?: string;
  root?: string;
  out?: string;
  concurrency: number;
  batchThreshold: number;
  baseUrl: string;
  authStyle: AuthStyle;
  apiKeyFile?: string;
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        mode: { type: 'string' },
        'dry-run': { type: 'boolean' },
        yes: { type: 'boolean', short: 'y' },
        json: { type: 'boolean' },
        model: { type: 'string' },
        size: { type: 'string' },
        'aspect-ratio': { type: 'string' },
        root: { type: 'string' },
        out: { type: 'string', short: 'o' },
        concurrency: { type: 'string' },
        'batch-threshold': { type: 'string' },
        'base-url': { type: 'string' },
        'auth-style': { type: 'string' },
        'api-key-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  const [command = 'help', ...positionals] = parsed.positionals;
  if (v.help || command === 'help') return defaults('help', positionals, env);
  if (command !== 'fill' && command !== 'check' && command !== 'generate') throw new UsageError(`Unknown command "${command}". Try --help.`);
  const o = defaults(command, positionals, env);
  if (v.mode !== undefined) {
    if (v.mode !== 'auto' && v.mode !== 'now' && v.mode !== 'flex' && v.mode !== 'batch') throw new UsageError(`--mode must be auto, now, flex or batch, not "${v.mode}".`);
    o.mode = v.mode;
  }
  o.dryRun = !!v['dry-run'];
  o.yes = !!v.yes;
  o.json = !!v.json;
  if (v.model) {
    o.model = v.model.replace(/^models\//, '');
    o.modelIsAutomatic = false;
  }
  if (v.size !== undefined) {
    const size = v.size.toUpperCase();
    if (!['512', '1K', '2K', '4K'].includes(size)) throw new UsageError(`--size must be 512, 1K, 2K or 4K, not "${v.size}".`);
    o.imageSize = size;
  }
  if (v['aspect-ratio'] !== undefined) {
    if (!(ALL_ASPECT_RATIOS as readonly string[]).includes(v['aspect-ratio'])) throw new UsageError(`--aspect-ratio must be one of ${ALL_ASPECT_RATIOS.join(', ')}.`);
    o.aspectRatio = v['aspect-ratio'];
  }
  o.root = v.root;
  o.out = v.out;
  if (v.concurrency !== undefined) o.concurrency = positiveInt(v.concurrency, '--concurrency');
  if (v['batch-threshold'] !== undefined) o.batchThreshold = positiveInt(v['batch-threshold'], '--batch-threshold');
  if (v['base-url']) o.baseUrl = v['base-url'];
  if (v['auth-style'] !== undefined) o.authStyle = authStyle(v['auth-style']);
  o.apiKeyFile = v['api-key-file'];
  if ((command === 'fill' || command === 'check') && positionals.length === 0) throw new UsageError(`${command} needs at least one path.`);
  if (command === 'generate' && (positionals.length !== 1 || !positionals[0].trim())) throw new UsageError('generate needs one prompt (quote it).');
  if (command === 'generate' && !o.out) throw new UsageError('generate needs --out <file>.');
  return o;
}

function defaults(command: CliOptions['command'], positionals: string[], env: NodeJS.ProcessEnv): CliOptions {
  return {
    command,
    positionals,
    mode: 'auto',
    dryRun: false,
    yes: false,
    json: false,
    model: env.GEMINI_IMAGE_MODEL?.trim() || DEFAULT_MODEL,
    modelIsAutomatic: !env.GEMINI_IMAGE_MODEL?.trim(),
    concurrency: 4,
    batchThreshold: 20,
    baseUrl: env.GEMINI_BASE_URL?.trim() || DEFAULT_BASE_URL,
    authStyle: env.GEMINI_AUTH_STYLE ? authStyle(env.GEMINI_AUTH_STYLE) : 'x-goog-api-key',
  };
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number of 1 or more.`);
  return n;
}

function authStyle(value: string): AuthStyle {
  if (value === 'x-goog-api-key' || value === 'bearer' || value === 'query') return value;
  throw new UsageError(`The auth style must be x-goog-api-key, bearer or query, not "${value}".`);
}

/** The endpoint, or a UsageError naming where the key should come from. */
export function endpointFrom(o: CliOptions, env: NodeJS.ProcessEnv): Endpoint {
  let apiKey = env.GEMINI_API_KEY?.trim() ?? '';
  if (o.apiKeyFile) {
    try {
      apiKey = readFileSync(o.apiKeyFile, 'utf8').trim();
    } catch {
      throw new UsageError(`Cannot read the key file ${o.apiKeyFile}.`);
    }
  }
  if (!apiKey) throw new UsageError('No API key: set GEMINI_API_KEY (or use --api-key-file).');
  return { baseUrl: o.baseUrl, apiKey, authStyle: o.authStyle };
}
