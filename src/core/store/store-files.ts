// How the store puts files on disk: private to the user (folders 0700, files 0600 on POSIX — traces
// hold prompts and model outputs), and every document written to a temp file with a unique name
// and renamed over the target (write-file-atomic), so a crash leaves the old or the new document and
// two writers can never rename each other's temp file away.
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import type WriteFileAtomic from 'write-file-atomic';

// Loaded with the first write, not when a command starts.
let writeAtomic: typeof WriteFileAtomic | undefined;
function writeFileAtomic(): typeof WriteFileAtomic {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the lazy load described above
  return (writeAtomic ??= require('write-file-atomic') as typeof WriteFileAtomic);
}

export const STORE_DIR_MODE = 0o700;
export const STORE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) private to the user. */
export async function makePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: STORE_DIR_MODE });
}

/** Narrows a store folder made before files were private (or by a wide umask) to the user. Best
 *  effort: a folder we do not own, or a file system without modes, is left as it is. */
export async function tightenDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const s = await stat(dir);
    if ((s.mode & 0o077) !== 0 && s.uid === process.getuid?.()) await chmod(dir, STORE_DIR_MODE);
  } catch {
    // not ours to change
  }
}

/** Identifies one version of a file or folder (inode, mtime in ns, size); 'none' when missing. Files
 *  are replaced by rename or appended to, and a folder's entries change its mtime, so a write shows. */
export async function fingerprintOf(file: string): Promise<string> {
  try {
    const s = await stat(file, { bigint: true });
    return `${s.ino}:${s.mtimeNs}:${s.size}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw err;
  }
}

/** A lowdb adapter for one JSON document: read as text and parsed, written atomically as 0600. */
export class AtomicJsonFile<T> implements Adapter<T> {
  constructor(
    readonly file: string,
    private readonly stringify: (value: T) => string,
  ) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf-8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return JSON.parse(text) as T;
  }

  async write(data: T): Promise<void> {
    // No fsync (as before with steno): a power loss may lose the last writes, never half a file.
    await writeFileAtomic()(this.file, this.stringify(data), { mode: STORE_FILE_MODE, fsync: false });
  }
}
