// Tells whether another process changed a store folder's entries since this process last looked
// (the pending log records' folder: documents added, rewritten or deleted). Checked at the start of
// every write task (under the folder's lock) and before listing: a stat of the folder compared with
// what it was at the end of this process's last task. Documents are written by rename, so a write
// changes the folder's mtime. (index.json and index.log need no tracker: IndexFile knows which
// snapshot and how much of the log it has, see index-file.ts.)
import { fingerprintOf } from './store-files';

export class FolderChangeTracker {
  private known: string | undefined;

  constructor(private readonly dir: string) {}

  /** Whether the folder changed since `remember` (true when nothing was remembered yet). */
  async changed(): Promise<boolean> {
    return (await fingerprintOf(this.dir)) !== this.known;
  }

  /** The folder as this process left it (call while holding the lock, after writing). */
  async remember(): Promise<void> {
    this.known = await fingerprintOf(this.dir);
  }

  /** Unknown state: the next `changed` reports a change (after a failed `remember`). */
  forget(): void {
    this.known = undefined;
  }
}
