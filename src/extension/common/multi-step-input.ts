// A small multi-step quick input (the pattern of VS Code's multi-step sample): each step is a
// QuickPick or an InputBox showing "step/total" and a Back button; Back re-runs the previous step.
// QuickInputs is the seam the wizard asks through: VS Code's widgets here, scripted answers in tests.
import * as vscode from 'vscode';

export const BACK = Symbol('back');
export type StepResult<T> = T | typeof BACK | undefined;

interface Common {
  title: string;
  /** Undefined: no "n/m" (a closing summary that is no question of its own). */
  step?: number;
  totalSteps?: number;
  /** Shows the Back button (default: from the second step on). */
  back?: boolean;
}

export interface PickStep<I extends vscode.QuickPickItem> extends Common {
  items: I[];
  placeholder?: string;
  activeItem?: I;
  /** The row offered first for what the user typed (undefined: none), so Enter on typed text that
   *  matches no row picks it instead of doing nothing. */
  typedItem?(value: string): I | undefined;
  /** Rows that only inform: accepting one keeps the step open. */
  inert?(item: I): boolean;
}

export interface InputStep extends Common {
  value: string;
  prompt: string;
  placeholder?: string;
  /** Returns the message shown under the box (inline, as the user types), or undefined when valid. */
  validate(value: string): string | undefined;
}

function hasBack(s: Common): boolean {
  return s.back ?? (s.step !== undefined && s.step > 1);
}

export function pickOne<I extends vscode.QuickPickItem>(s: PickStep<I>): Promise<StepResult<I>> {
  const qp = vscode.window.createQuickPick<I>();
  qp.title = s.title;
  qp.step = s.step;
  qp.totalSteps = s.totalSteps;
  qp.items = s.items;
  qp.placeholder = s.placeholder;
  qp.ignoreFocusOut = true;
  qp.matchOnDescription = true;
  if (s.activeItem) qp.activeItems = [s.activeItem];
  qp.buttons = hasBack(s) ? [vscode.QuickInputButtons.Back] : [];
  const onValue = (value: string): void => {
    const typed = s.typedItem?.(value);
    qp.items = typed ? [typed, ...s.items] : s.items;
    if (typed) qp.activeItems = [typed];
  };
  return new Promise((resolve) => {
    const subs = [
      qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK)),
      qp.onDidChangeValue(onValue),
      qp.onDidAccept(() => {
        const item = qp.selectedItems[0] ?? qp.activeItems[0];
        if (item && !s.inert?.(item)) finish(item);
      }),
      qp.onDidHide(() => finish(undefined)),
    ];
    let done = false;
    function finish(result: StepResult<I>): void {
      if (done) return;
      done = true;
      for (const d of subs) d.dispose();
      qp.dispose();
      resolve(result);
    }
    qp.show();
  });
}

export function inputText(s: InputStep): Promise<StepResult<string>> {
  const box = vscode.window.createInputBox();
  box.title = s.title;
  box.step = s.step;
  box.totalSteps = s.totalSteps;
  box.value = s.value;
  box.prompt = s.prompt;
  box.placeholder = s.placeholder;
  box.ignoreFocusOut = true;
  box.buttons = hasBack(s) ? [vscode.QuickInputButtons.Back] : [];
  // Not red before the user typed: an empty box says nothing until there is text to judge.
  box.validationMessage = s.value === '' ? undefined : s.validate(s.value);
  return new Promise((resolve) => {
    const subs = [
      box.onDidChangeValue((v) => (box.validationMessage = s.validate(v))),
      box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK)),
      box.onDidAccept(() => {
        const message = s.validate(box.value);
        box.validationMessage = message;
        if (message === undefined) finish(box.value);
      }),
      box.onDidHide(() => finish(undefined)),
    ];
    let done = false;
    function finish(result: StepResult<string>): void {
      if (done) return;
      done = true;
      for (const d of subs) d.dispose();
      box.dispose();
      resolve(result);
    }
    box.show();
  });
}

/** How the wizard asks: VS Code's quick input, or a test's scripted answers. */
export interface QuickInputs {
  pickOne<I extends vscode.QuickPickItem>(s: PickStep<I>): Promise<StepResult<I>>;
  inputText(s: InputStep): Promise<StepResult<string>>;
}

export const WINDOW_INPUTS: QuickInputs = { pickOne, inputText };

/** Runs steps in order; a step returning BACK goes to the previous one, undefined cancels. */
export async function runSteps<S>(state: S, steps: ((state: S) => Promise<StepResult<S>>)[]): Promise<S | undefined> {
  const history: S[] = [];
  let i = 0;
  let current = state;
  while (i < steps.length) {
    const result = await steps[i](current);
    if (result === undefined) return undefined;
    if (result === BACK) {
      if (i === 0) return undefined;
      i--;
      current = history.pop() as S;
      continue;
    }
    history.push(current);
    current = result;
    i++;
  }
  return current;
}
