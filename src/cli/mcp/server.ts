// `gemini-image mcp`: the MCP server over stdio. Loaded only for this command (dist/mcp.js), so
// check, fill and generate never pay for the SDK. stdout carries the protocol and nothing else.
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { formatDollars } from '../../shared/money';
import { SessionBudget } from '../../core/sessionBudget';
import { isGeminiError } from '../../gemini/errors';
import { redact } from '../../gemini/request';
import type { Endpoint } from '../../gemini/types';
import { findRoot, type RunContext } from '../fillCommand';
import { endpointFrom, UsageError, type CliOptions } from '../options';
import { errorText } from '../report';
import { docsCheck, docsFill } from './docsTools';
import { describeImage, editImage, generateImage, type Session, type ToolResult } from './imageTools';
import { RootPaths, ToolRefusal } from './rootPaths';
import { TOOLS } from './toolList';

export const SERVER_NAME = 'gemini-image';

function rootOf(o: CliOptions, cwd: string): string {
  if (!o.root) return findRoot(cwd);
  const root = path.resolve(cwd, o.root);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new UsageError(`--root ${o.root} is not a folder.`);
  return root;
}

export async function runMcp(o: CliOptions, run: RunContext, io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream } = { stdin: process.stdin, stdout: process.stdout }): Promise<number> {
  const root = rootOf(o, run.cwd);
  const budget = new SessionBudget(o.budget);
  let endpoint: Endpoint | undefined;
  const session: Session = {
    options: o,
    env: run.env,
    paths: new RootPaths(root),
    budget,
    signal: run.signal,
    endpoint: () => (endpoint ??= endpointFrom(o, run.env)),
  };
  const secret = () => endpoint?.apiKey ?? run.env.GEMINI_API_KEY;
  const charged = new Set<string>();
  const handlers: Record<string, (s: Session, args: Record<string, unknown>) => Promise<ToolResult>> = {
    generate_image: generateImage,
    edit_image: editImage,
    describe_image: describeImage,
    docs_check: docsCheck,
    docs_fill: (s, args) => docsFill(s, args, charged),
  };

  const server = new Server(
    { name: SERVER_NAME, version: '0.1.0' },
    {
      capabilities: { tools: {} },
      instructions: `Images for this project (root ${root}) with Google's Gemini image models. Paths are relative to the root. docs_check lists what the markdown docs are missing; docs_fill makes it. This session may spend ${o.budget === undefined ? 'without a budget' : formatDollars(o.budget)}.`,
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const handler = handlers[request.params.name];
    if (!handler) return failure(`There is no tool named ${request.params.name}. The tools are ${TOOLS.map((t) => t.name).join(', ')}.`);
    const signal = AbortSignal.any([run.signal, extra.signal]);
    // Progress keeps a long fill from hitting the client's request timeout (when it asked for it).
    const token = request.params._meta?.progressToken;
    const sent: Promise<void>[] = [];
    const progress =
      token === undefined
        ? undefined
        : (done: number, total: number, message: string) =>
            void sent.push(extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: done, total, message: redact(message, secret()) } }).catch(() => undefined));
    try {
      const result = await handler({ ...session, signal, progress }, request.params.arguments ?? {});
      // The client stops listening for progress once it has the result.
      await Promise.all(sent);
      return clean(result, secret());
    } catch (e) {
      if (e instanceof ToolRefusal || e instanceof UsageError || isGeminiError(e)) return failure(redact(e instanceof ToolRefusal || e instanceof UsageError ? e.message : errorText(e), secret()));
      run.streams.stderr.write(`gemini-image mcp: ${request.params.name} failed: ${redact(String((e as Error)?.stack ?? e), secret())}\n`);
      return failure(redact(errorText(e), secret()));
    }
  });

  const transport = new StdioServerTransport(io.stdin as never, io.stdout as never);
  const closed = new Promise<void>((resolve) => (server.onclose = resolve));
  const close = () => void server.close();
  io.stdin.once('end', close);
  run.signal.addEventListener('abort', close);
  await server.connect(transport);
  run.streams.stderr.write(`gemini-image mcp: serving ${root} (budget ${o.budget === undefined ? 'none' : formatDollars(o.budget)})\n`);
  await closed;
  return 0;
}

function failure(text: string): ToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/** Nothing the key could hide in leaves the server. */
function clean(result: ToolResult, key: string | undefined): ToolResult {
  return { ...result, content: result.content.map((c) => (c.type === 'text' ? { ...c, text: redact(c.text, key) } : c)) };
}
