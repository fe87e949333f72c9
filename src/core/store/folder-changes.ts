// Tells whether another process wrote a store folder since this process last looked. Checked at
// the start of every write task (under the folder's lock) and before listing: a stat of the index
// files (index.json, index.log) and of the pending-logs folder, compared with what they were at the
// end of this process's last task. Files are replaced by rename or appended to, so a
// write changes the inode, mtime or size.
import { stat } from 'node:fs/promises';

export interface FolderChanges {
  /** index.json or index.log was written by another process. */
  index: boolean;
  /** The pending log records' folder changed (documents added, rewritten or deleted). */
  pending: boolean;
}

interface Fingerprint {
  index: string;
  pending: string;
}

/** Identifies one version of a file or folder (inode, mtime in ns, size); 'none' when missing. */
export async function fingerprintOf(file: string): Promise<string> {
  try {
    const s = await stat(file, { bigint: true });
    return `${s.ino}:${s.mtimeNs}:${s.size}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw err;
  }
}

export class FolderChangeTracker {
  private known: Fingerprint | undefined;

  constructor(
    private readonly indexPaths: string[],
    private readonly pendingDir: string,
  ) {}

  private async read(): Promise<Fingerprint> {
    const [pending, ...index] = await Promise.all([fingerprintOf(this.pendingDir), ...this.indexPaths.map(fingerprintOf)]);
    return { index: index.join('|'), pending };
  }

  /** What changed since `remember` (everything, when nothing was remembered yet). */
  async changes(): Promise<FolderChanges> {
    const now = await this.read();
    return { index: now.index !== this.known?.index, pending: now.pending !== this.known?.pending };
  }

  /** The folder as this process left it (call while holding the lock, after writing). */
  async remember(): Promise<void> {
    this.known = await this.read();
  }

  /** Unknown state: the next `changes` reports everything (after a failed `remember`). */
  forget(): void {
    this.known = undefined;
  }
}
