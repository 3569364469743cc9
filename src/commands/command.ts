import type { CommandId } from '../commandIds';

export interface Command {
  readonly id: CommandId;
  execute(...args: unknown[]): unknown;
}
