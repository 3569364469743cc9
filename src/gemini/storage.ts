// The small key-value store the client remembers things in. VS Code's Memento fits it as it is;
// plain Node (tests, the CLI) uses memoryStore().

export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export function memoryStore(): KeyValueStore {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string) => values.get(key) as T | undefined,
    update: async (key, value) => {
      if (value === undefined) values.delete(key);
      else values.set(key, structuredClone(value));
    },
  };
}
