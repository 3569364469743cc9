// Runs the stand-in server on its own: `node out/test/support/fakeGemini/cli.js --port 0 [--key K]...`
// Prints one line, FAKE_GEMINI_URL=http://127.0.0.1:PORT, once listening; stops on SIGINT/SIGTERM.
// Other flags: --snake-case, --no-upload, --auth x-goog-api-key|bearer|query (repeatable),
// --delay MS, --processing-polls N, --lean (keeps no bodies or image bytes: long benchmarks),
// --prebuilt (each distinct image reply is built once and sent again as the same bytes).
// Drive it through /__control/* (see README.md).
import { startFakeGemini, type AuthStyle, type FakeGeminiOptions } from './index';

function parseArgs(argv: string[]): FakeGeminiOptions {
  const options: FakeGeminiOptions = {};
  const keys: string[] = [];
  const styles: AuthStyle[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const number = (): number => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0) throw new Error(`${arg} needs a non-negative integer`);
      return n;
    };
    if (arg === '--port') options.port = number();
    else if (arg === '--key') keys.push(value());
    else if (arg === '--auth') styles.push(value() as AuthStyle);
    else if (arg === '--snake-case') options.snakeCase = true;
    else if (arg === '--no-upload') options.uploadRoute = false;
    else if (arg === '--delay') options.defaultDelayMs = number();
    else if (arg === '--processing-polls') options.processingPolls = number();
    else if (arg === '--lean') Object.assign(options, { recordBodies: false, keepSentImages: false });
    else if (arg === '--prebuilt') options.prebuiltReplies = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (keys.length) options.apiKeys = keys;
  if (styles.length) options.authStyles = styles;
  return options;
}

async function main(): Promise<void> {
  const server = await startFakeGemini(parseArgs(process.argv.slice(2)));
  process.stdout.write(`FAKE_GEMINI_URL=${server.url}\n`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`fake gemini: ${(e as Error).message}\n`);
  process.exit(2);
});
