// A stand-in `vscode` module for timing activate() in plain Node. The parts activation is known to
// touch behave (output channel, events, commands, serializer, configuration, l10n, Uri); anything
// else is a Proxy whose every property is a callable no-op returning a disposable, so a new call in
// activate() keeps working here. It records registrations so the harness can check activate() ran.
import Module from 'node:module';
import * as path from 'node:path';

export interface StubRecord {
  commands: string[];
  serializers: string[];
  outputChannels: string[];
}

const disposable = (): { dispose(): void } => ({ dispose() {} });

/** A callable, constructible object with any property: each access is another such stub. */
function anything(name: string): unknown {
  const cache = new Map<PropertyKey, unknown>();
  const target = function () {} as unknown as Record<PropertyKey, unknown>;
  return new Proxy(target, {
    get(_t, key) {
      // Not a thenable, not a primitive: awaiting or printing a stub must not hang or throw.
      if (key === 'then' || typeof key === 'symbol') return undefined;
      if (key === 'dispose') return () => undefined;
      if (!cache.has(key)) cache.set(key, anything(`${name}.${String(key)}`));
      return cache.get(key);
    },
    apply: () => anything(`${name}()`),
    construct: () => anything(`new ${name}`) as object,
  });
}

/** Fills in anything the explicit stub leaves out. */
function withFallback<T extends object>(explicit: T, name: string): T {
  const fallback = anything(name) as Record<PropertyKey, unknown>;
  return new Proxy(explicit, {
    get(t, key, receiver) {
      if (key in t) return Reflect.get(t, key, receiver);
      if (key === 'then' || typeof key === 'symbol') return undefined;
      return fallback[key];
    },
  });
}

class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query = '',
    readonly fragment = '',
  ) {}
  get fsPath(): string {
    return this.path;
  }
  static file(p: string): Uri {
    return new Uri('file', '', p.replace(/\\/g, '/'));
  }
  static parse(value: string): Uri {
    const u = new URL(value);
    return new Uri(u.protocol.replace(/:$/, ''), u.host, decodeURIComponent(u.pathname), u.search.replace(/^\?/, ''), u.hash.replace(/^#/, ''));
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, base.authority, path.posix.join(base.path, ...segments), base.query, base.fragment);
  }
  with(change: { scheme?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(change.scheme ?? this.scheme, this.authority, change.path ?? this.path, change.query ?? this.query, change.fragment ?? this.fragment);
  }
  toString(): string {
    return `${this.scheme}://${this.authority}${this.path}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
  }
  toJSON(): unknown {
    return { scheme: this.scheme, authority: this.authority, path: this.path };
  }
}

class Disposable {
  constructor(private readonly onDispose: () => void = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

class EventEmitter<T> {
  private listeners = new Set<(e: T) => void>();
  readonly event = (listener: (e: T) => void): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(e: T): void {
    this.listeners.forEach((l) => l(e));
  }
  dispose(): void {
    this.listeners.clear();
  }
}

function format(message: string, ...args: unknown[]): string {
  const values = args.length === 1 && args[0] !== null && typeof args[0] === 'object' ? (args[0] as Record<string, unknown>) : args;
  return message.replace(/\{(\w+)\}/g, (m, key: string) => (key in (values as object) ? String((values as Record<string, unknown>)[key]) : m));
}

function memento(): Record<string, unknown> {
  const values = new Map<string, unknown>();
  return {
    get: (key: string, fallback?: unknown) => (values.has(key) ? values.get(key) : fallback),
    update: async (key: string, value: unknown) => void values.set(key, value),
    keys: () => [...values.keys()],
    setKeysForSync: () => undefined,
  };
}

/** Something usable as an `onDid...` event. */
const event = (): ((...args: unknown[]) => { dispose(): void }) => () => disposable();

export function createVscodeStub(record: StubRecord): Record<string, unknown> {
  const logChannel = (name: string) => {
    record.outputChannels.push(name);
    const noop = () => undefined;
    return withFallback(
      { name, logLevel: 2, onDidChangeLogLevel: event(), trace: noop, debug: noop, info: noop, warn: noop, error: noop, append: noop, appendLine: noop, replace: noop, clear: noop, show: noop, hide: noop, dispose: noop },
      `OutputChannel(${name})`,
    );
  };
  const window = withFallback(
    {
      activeTextEditor: undefined,
      visibleTextEditors: [],
      createOutputChannel: (name: string) => logChannel(name),
      onDidChangeActiveTextEditor: event(),
      onDidChangeTextEditorSelection: event(),
      onDidChangeVisibleTextEditors: event(),
      onDidChangeActiveColorTheme: event(),
      onDidChangeWindowState: event(),
      registerWebviewPanelSerializer: (viewType: string) => {
        record.serializers.push(viewType);
        return disposable();
      },
      registerWebviewViewProvider: () => disposable(),
      // A plain object: activate() assigns its fields (a Proxy over a function has a read-only name).
      createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
      tabGroups: { activeTabGroup: { activeTab: undefined }, onDidChangeTabs: event(), onDidChangeTabGroups: event() },
    },
    'window',
  );
  const commands = withFallback(
    {
      registerCommand: (id: string) => {
        record.commands.push(id);
        return disposable();
      },
      registerTextEditorCommand: (id: string) => {
        record.commands.push(id);
        return disposable();
      },
      executeCommand: async () => undefined,
    },
    'commands',
  );
  const workspace = withFallback(
    {
      workspaceFolders: undefined,
      textDocuments: [],
      isTrusted: true,
      getConfiguration: () => withFallback({ get: (_key: string, fallback?: unknown) => fallback, has: () => false, inspect: () => undefined, update: async () => undefined }, 'configuration'),
      onDidChangeConfiguration: event(),
      onDidChangeWorkspaceFolders: event(),
      onDidGrantWorkspaceTrust: event(),
      onDidOpenTextDocument: event(),
      onDidCloseTextDocument: event(),
      onDidChangeTextDocument: event(),
      onDidSaveTextDocument: event(),
      getWorkspaceFolder: () => undefined,
    },
    'workspace',
  );
  return withFallback(
    {
      window,
      commands,
      workspace,
      l10n: { t: (message: string | { message: string }, ...args: unknown[]) => format(typeof message === 'string' ? message : message.message, ...args), bundle: undefined, uri: undefined },
      env: withFallback({ language: 'en', appName: 'Visual Studio Code', uiKind: 1, remoteName: undefined }, 'env'),
      Uri,
      Disposable,
      EventEmitter,
      ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2, Three: 3 },
      ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
      StatusBarAlignment: { Left: 1, Right: 2 },
      ExtensionMode: { Production: 1, Development: 2, Test: 3 },
      ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
      LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
      ThemeIcon: class ThemeIcon {
        constructor(readonly id: string) {}
      },
      // Named here because a bundle's `import * as vscode` copies own properties only.
      languages: withFallback({}, 'languages'),
      lm: withFallback({}, 'lm'),
      CodeActionKind: anything('CodeActionKind'),
      DocumentDropOrPasteEditKind: anything('DocumentDropOrPasteEditKind'),
      TabInputWebview: class TabInputWebview {},
      version: '1.100.0',
    },
    'vscode',
  );
}

export function createExtensionContext(extensionDir: string): Record<string, unknown> {
  const secrets = new Map<string, string>();
  const storage = path.join(extensionDir, '.storage');
  return withFallback(
    {
      subscriptions: [] as { dispose(): unknown }[],
      extensionUri: Uri.file(extensionDir),
      extensionPath: extensionDir,
      extensionMode: 1,
      workspaceState: memento(),
      globalState: memento(),
      secrets: {
        get: async (key: string) => secrets.get(key),
        store: async (key: string, value: string) => void secrets.set(key, value),
        delete: async (key: string) => void secrets.delete(key),
        onDidChange: event(),
      },
      storageUri: Uri.file(path.join(storage, 'workspace')),
      globalStorageUri: Uri.file(path.join(storage, 'global')),
      logUri: Uri.file(path.join(storage, 'log')),
      asAbsolutePath: (relative: string) => path.join(extensionDir, relative),
    },
    'ExtensionContext',
  );
}

/** Makes `require('vscode')` return `stub` from now on, in this process. */
export function installVscodeStub(stub: Record<string, unknown>): void {
  const id = path.join(__dirname, '__vscode_stub__.js');
  const mod = new Module(id);
  mod.filename = id;
  mod.loaded = true;
  mod.exports = stub;
  require.cache[id] = mod;
  const internals = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolve = internals._resolveFilename;
  internals._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? id : resolve.call(this, request, ...rest);
  };
}
