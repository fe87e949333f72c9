// Ownership of VS Code resources: a component registers what it creates and releases all of it,
// newest first, when it is disposed (the pattern of vscode-pull-request-github's lifecycle.ts).
import type * as vscode from 'vscode';

export abstract class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Takes ownership of `value`; registering after disposal disposes it at once. */
  protected register<T extends vscode.Disposable>(value: T): T {
    if (this.disposed) value.dispose();
    else this.owned.push(value);
    return value;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Reverse order: later resources may depend on earlier ones (a listener on an emitter).
    const errors: unknown[] = [];
    for (const d of this.owned.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'several resources failed to dispose');
  }
}

export function toDisposable(dispose: () => void): vscode.Disposable {
  return { dispose };
}

/** A bag of Disposables released newest first; VS Code disposes `context.subscriptions` in
 *  registration order, so activate() puts its resources here and pushes only the bag. */
export class DisposableStore extends Disposable {
  add<T extends vscode.Disposable>(value: T): T {
    return this.register(value);
  }
}
