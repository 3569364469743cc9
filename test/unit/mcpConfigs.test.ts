// The README's MCP configurations, in both languages, parsed and checked against each client's
// documented format: Claude Code's and Cursor's `mcpServers`, Codex's `[mcp_servers.<name>]` TOML,
// the Antigravity CLI's mcp_config.json, VS Code's `servers` with `inputs`. Each must start our
// server with arguments our own parser takes, and none may hold a key.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCli } from '../../src/cli/options';

const ROOT = join(__dirname, '..', '..', '..');
const CLIENTS = ['Claude Code', 'Cursor', 'Codex', 'Antigravity CLI', 'VS Code'] as const;
type Client = (typeof CLIENTS)[number];

/** The fenced block after each client's bold label, in the MCP section of a README. */
function snippets(file: string, heading: RegExp): Map<Client, { lang: string; code: string }> {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const start = text.search(heading);
  assert.ok(start >= 0, `${file} has the MCP section`);
  const section = text.slice(start, text.indexOf('\n### ', start + 1));
  const found = new Map<Client, { lang: string; code: string }>();
  for (const client of CLIENTS) {
    const at = section.indexOf(`**${client}**`);
    assert.ok(at >= 0, `${file} configures ${client}`);
    const block = /```(\w+)\n([\s\S]*?)```/.exec(section.slice(at));
    assert.ok(block, `${file}: a code block follows ${client}`);
    found.set(client, { lang: block[1], code: block[2] });
  }
  return found;
}

type Server = { command?: unknown; args?: unknown; env?: unknown; type?: unknown; env_vars?: unknown };

/** Codex's TOML, as much as the snippet uses: tables and `key = <JSON value>` lines. */
function toml(code: string): Record<string, Record<string, unknown>> {
  const tables: Record<string, Record<string, unknown>> = {};
  let table: Record<string, unknown> | undefined;
  for (const line of code.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) {
    const header = /^\[([\w.-]+)\]$/.exec(line);
    if (header) tables[header[1]] = table = {};
    else {
      const pair = /^([\w-]+)\s*=\s*(.+)$/.exec(line);
      assert.ok(pair && table, `a TOML line Codex reads: ${line}`);
      table[pair[1]] = JSON.parse(pair[2]);
    }
  }
  return tables;
}

function checkServer(client: string, server: Server): void {
  assert.equal(server.command, 'gemini-image', `${client}: the installed bin`);
  assert.ok(Array.isArray(server.args) && server.args.every((a) => typeof a === 'string'), `${client}: args are strings`);
  const args = (server.args as string[]).map((a) => a.replace(/^\$\{workspaceFolder\}$/, '/some/project'));
  assert.equal(parseCli(args, {}).command, 'mcp', `${client}: our parser takes ${args.join(' ')}`);
  if (server.env !== undefined) {
    assert.ok(server.env && typeof server.env === 'object', `${client}: env is an object`);
    for (const [name, value] of Object.entries(server.env)) {
      assert.equal(typeof value, 'string', `${client}: env ${name} is a string`);
      assert.match(value as string, /^\$\{[^}]+\}$/, `${client}: ${name} is a reference, not a key`);
    }
  }
}

for (const [file, heading] of [
  ['README.md', /^### Use it from any agent \(MCP\)$/m],
  ['README.zh-CN.md', /^### 在任何智能体中使用（MCP）$/m],
] as const) {
  test(`${file}: each client's snippet has its documented shape and starts our server`, () => {
    const s = snippets(file, heading);
    for (const client of ['Claude Code', 'Cursor', 'Antigravity CLI'] as const) {
      const { lang, code } = s.get(client)!;
      assert.equal(lang, 'json');
      const config = JSON.parse(code) as { mcpServers?: Record<string, Server>; servers?: unknown };
      assert.equal(config.servers, undefined, `${client} reads mcpServers, not servers`);
      const servers = Object.entries(config.mcpServers ?? {});
      assert.equal(servers.length, 1, `${client}: one server under mcpServers`);
      checkServer(client, servers[0][1]);
      if (client === 'Antigravity CLI') assert.equal((servers[0][1] as { serverUrl?: unknown }).serverUrl, undefined, 'serverUrl would win over command');
    }
    assert.match(s.get('Cursor')!.code, /\$\{env:GEMINI_API_KEY\}/, 'Cursor interpolates ${env:NAME}');

    const codex = s.get('Codex')!;
    assert.equal(codex.lang, 'toml');
    const tables = toml(codex.code);
    const names = Object.keys(tables);
    assert.deepEqual(names, ['mcp_servers.gemini-image']);
    checkServer('Codex', tables[names[0]] as Server);
    assert.deepEqual(tables[names[0]].env_vars, ['GEMINI_API_KEY'], 'Codex forwards the variable by name');

    const vscode = s.get('VS Code')!;
    assert.equal(vscode.lang, 'json');
    const config = JSON.parse(vscode.code) as { servers: Record<string, Server>; inputs: { type: string; id: string; description: string; password?: boolean }[]; mcpServers?: unknown };
    assert.equal(config.mcpServers, undefined, 'VS Code reads servers, not mcpServers');
    const [[, server]] = Object.entries(config.servers);
    assert.equal(server.type, 'stdio');
    checkServer('VS Code', server);
    const ids = config.inputs.map((i) => i.id);
    for (const input of config.inputs) {
      assert.equal(input.type, 'promptString');
      assert.equal(input.password, true, 'the key is typed hidden');
      assert.ok(input.description);
    }
    for (const [, id] of vscode.code.matchAll(/\$\{input:([\w-]+)\}/g)) assert.ok(ids.includes(id), `input ${id} is declared`);
  });
}

test('both READMEs carry the same five configurations', () => {
  const en = snippets('README.md', /^### Use it from any agent \(MCP\)$/m);
  const zh = snippets('README.zh-CN.md', /^### 在任何智能体中使用（MCP）$/m);
  for (const client of CLIENTS) assert.equal(zh.get(client)!.code, en.get(client)!.code, client);
});
