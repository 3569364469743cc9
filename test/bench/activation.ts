// A bench child process: loads the production bundle with a stand-in `vscode` module and times
// require() and activate(), then reports what was loaded on the way (undici must not be).
import { builtinModules } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { ActivationResult, ActivationTask, ChildMessage } from './protocol';
import { createExtensionContext, createVscodeStub, installVscodeStub, type StubRecord } from './vscodeStub';

function loadedBuiltins(): Set<string> {
  // process.moduleLoadList names every internal module loaded so far ("NativeModule fs", ...).
  const list = (process as unknown as { moduleLoadList?: string[] }).moduleLoadList ?? [];
  const publicNames = new Set(builtinModules);
  return new Set(list.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length)).filter((m) => publicNames.has(m)));
}

function run(task: ActivationTask): ActivationResult {
  const record: StubRecord = { commands: [], serializers: [], outputChannels: [] };
  installVscodeStub(createVscodeStub(record));
  const context = createExtensionContext(task.extensionDir);
  for (const builtin of task.preload ?? []) require(builtin);
  const cachedBefore = new Set(Object.keys(require.cache));
  const builtinsBefore = loadedBuiltins();

  const t0 = performance.now();
  const extension = require(task.bundle) as { activate(context: unknown): unknown };
  const t1 = performance.now();
  const returned = extension.activate(context);
  const t2 = performance.now();
  if (returned && typeof (returned as Promise<unknown>).then === 'function') throw new Error('activate() returned a promise: time it to resolution instead');

  const loadedFiles = Object.keys(require.cache).filter((k) => !cachedBefore.has(k) && k !== task.bundle);
  const builtinsLoaded = [...loadedBuiltins()].filter((m) => !builtinsBefore.has(m));
  return {
    kind: 'activation',
    requireMs: t1 - t0,
    activateMs: t2 - t1,
    undiciLoaded: Object.keys(require.cache).some((k) => /undici/i.test(k)),
    loadedFiles,
    builtinsLoaded,
    commandsRegistered: record.commands.length,
    serializersRegistered: record.serializers.length,
  };
}

process.once('message', (task: ActivationTask) => {
  let message: ChildMessage<ActivationResult>;
  try {
    message = { ok: true, result: run(task) };
  } catch (e) {
    message = { ok: false, error: (e as Error)?.stack ?? String(e) };
  }
  process.send?.(message, () => process.exit(0));
});
