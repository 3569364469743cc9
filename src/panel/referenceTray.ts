// The reference images picked for the studio's next generation (host side; the panel shows chips).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../disposable';

export interface TrayItem {
  id: string;
  path: string;
}

export class ReferenceTray extends Disposable {
  private items: TrayItem[] = [];
  private counter = 0;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  all(): readonly TrayItem[] {
    return this.items;
  }

  add(paths: string[]): void {
    for (const p of paths) {
      if (!this.items.some((i) => i.path === p)) this.items.push({ id: `r${++this.counter}`, path: p });
    }
    this.changed.fire();
  }

  remove(id: string): void {
    this.items = this.items.filter((i) => i.id !== id);
    this.changed.fire();
  }

  clear(): void {
    this.items = [];
    this.changed.fire();
  }

  static label(item: TrayItem): string {
    return path.basename(item.path);
  }
}
