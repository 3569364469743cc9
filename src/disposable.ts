// The Disposable base of VS Code's own extensions: what a class subscribes to is `_register`ed
// and goes with it. vscode is a type here, so plain-Node code may extend it too.
import type * as vscode from 'vscode';

export abstract class Disposable implements vscode.Disposable {
  private readonly registered: vscode.Disposable[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Disposes `value` with this object (at once, if this one is gone already). */
  protected _register<T extends vscode.Disposable>(value: T): T {
    if (this.disposed) value.dispose();
    else this.registered.push(value);
    return value;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    while (this.registered.length) this.registered.pop()?.dispose();
  }
}
