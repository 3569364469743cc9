// The gemini-image command line (dist/cli.js). No VS Code: the same docs and generation code.
import { createInterface } from 'node:readline/promises';
import { isGeminiError } from '../gemini/errors';
import { closeDispatchers } from '../gemini/http';
import { redact } from '../gemini/request';
import { runCheck, runFill, type RunContext } from './fillCommand';
import { runGenerate } from './generateCommand';
import { HELP, parseCli, UsageError } from './options';
import { errorText } from './report';

export async function main(argv: string[], run: Omit<RunContext, 'signal'> & { signal?: AbortSignal }): Promise<number> {
  const signal = run.signal ?? new AbortController().signal;
  const context: RunContext = { ...run, signal };
  try {
    const o = parseCli(argv, run.env);
    if (o.command === 'help') {
      run.streams.stdout.write(HELP);
      return 0;
    }
    if (o.command === 'check') return await runCheck(o, context);
    if (o.command === 'fill') return await runFill(o, context);
    // A bundle of its own (dist/mcp.js): the SDK loads for this command only.
    if (o.command === 'mcp') return await (require('./mcp/server') as typeof import('./mcp/server')).runMcp(o, context);
    return await runGenerate(o, context);
  } catch (e) {
    const text = redact(e instanceof UsageError ? e.message : errorText(e), run.env.GEMINI_API_KEY);
    run.streams.stderr.write(`gemini-image: ${text}\n`);
    if (e instanceof UsageError) return 2;
    if (!isGeminiError(e) && !(e as NodeJS.ErrnoException)?.code) run.streams.stderr.write(`${redact(String((e as Error)?.stack ?? ''), run.env.GEMINI_API_KEY)}\n`);
    return 1;
  } finally {
    await closeDispatchers();
  }
}

if (require.main === module) {
  const controller = new AbortController();
  let interrupts = 0;
  const stop = () => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write('\nStopping; a pending batch job is kept and the next fill picks it up. Ctrl+C again to quit now.\n');
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const ask = process.stdin.isTTY
    ? async (question: string) => {
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        try {
          return /^y(es)?$/i.test((await rl.question(question)).trim());
        } finally {
          rl.close();
        }
      }
    : undefined;
  void main(process.argv.slice(2), { env: process.env, cwd: process.cwd(), streams: { stdout: process.stdout, stderr: process.stderr }, signal: controller.signal, ask }).then((code) => {
    process.exitCode = code;
  });
}
