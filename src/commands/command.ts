export interface Command {
  readonly id: string;
  execute(...args: unknown[]): unknown;
}
