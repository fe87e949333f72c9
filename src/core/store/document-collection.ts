// One JSON document per id under a subfolder of the store (traces/<id>.json, later replays/<id>.json,
// cache/<id>.json ...). Writes go through lowdb with an atomic adapter (store-files.ts: a temp file
// with a unique name renamed over the target, mode 0600), so a crash leaves the old or the new
// document, never half of one; and through the store's WriteQueue, so there is one writer per store
// folder at a time (across processes too, under the folder's lock).
import { readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { AtomicJsonFile, makePrivateDir } from './store-files';
import { CorruptDocumentError, InvalidDocumentIdError } from './store-errors';
import type { WriteQueue } from './write-queue';

const DOCUMENT_EXTENSION = '.json';
// Ids are file names: no separators, no leading dot.
const SAFE_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

export interface DocumentCollectionOptions<T> {
  /** Shape check on read; a document that fails it is reported as CorruptDocumentError. */
  validate?: (value: unknown) => value is T;
  /** Turns a valid document written by an earlier version into the current shape (on read). */
  upgrade?: (value: T) => T;
  /** Indent documents (easier to read by hand, larger and slower). Default false. */
  pretty?: boolean;
  /** How many documents one task writes or reads in parallel. Default 16. */
  concurrency?: number;
}

export class JsonDocumentCollection<T> {
  readonly dir: string;
  private readonly validate?: (value: unknown) => value is T;
  private readonly upgrade?: (value: T) => T;
  private readonly stringify: (value: T) => string;
  private readonly concurrency: number;
  // Keeps two writes of one file inside the same task in call order (the last one wins on disk).
  private readonly writing = new Map<string, Promise<void>>();

  constructor(
    readonly name: string,
    storeDir: string,
    private readonly queue: WriteQueue,
    options: DocumentCollectionOptions<T> = {},
  ) {
    this.dir = path.join(storeDir, name);
    this.validate = options.validate;
    this.upgrade = options.upgrade;
    this.stringify = options.pretty ? (value) => JSON.stringify(value, null, 2) : (value) => JSON.stringify(value);
    this.concurrency = Math.max(1, options.concurrency ?? 16);
  }

  /** Creates the subfolder if missing. */
  async ensureDir(): Promise<void> {
    await makePrivateDir(this.dir);
  }

  pathOf(id: string): string {
    this.checkId(id);
    return path.join(this.dir, id + DOCUMENT_EXTENSION);
  }

  isValidId(id: string): boolean {
    return SAFE_ID.test(id);
  }

  /** The document, or undefined when there is none. Throws CorruptDocumentError when the file
   *  exists but cannot be read, parsed or validated. */
  async get(id: string): Promise<T | undefined> {
    const file = this.pathOf(id);
    let value: unknown;
    try {
      const db = new Low<unknown>(this.adapter(file), null);
      await db.read();
      value = db.data;
    } catch (cause) {
      throw new CorruptDocumentError(this.name, id, file, { cause });
    }
    if (value === null) return undefined;
    if (this.validate && !this.validate(value)) throw new CorruptDocumentError(this.name, id, file);
    return this.upgrade ? this.upgrade(value as T) : (value as T);
  }

  async has(id: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(id))).isFile();
    } catch {
      return false;
    }
  }

  /** Ids of all documents, unordered. Ignores temp files and corrupt-file backups. */
  async listIds(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const ids: string[] = [];
    for (const name of names) {
      if (!name.endsWith(DOCUMENT_EXTENSION)) continue;
      const id = name.slice(0, -DOCUMENT_EXTENSION.length);
      if (SAFE_ID.test(id)) ids.push(id);
    }
    return ids;
  }

  /** Reads many documents with bounded parallelism. Missing documents are skipped; unreadable ones
   *  are returned in `corrupt` instead of failing the whole read. */
  async getMany(ids: string[]): Promise<{ found: Map<string, T>; corrupt: CorruptDocumentError[] }> {
    const found = new Map<string, T>();
    const corrupt: CorruptDocumentError[] = [];
    await this.forEachLimited(ids, async (id) => {
      try {
        const value = await this.get(id);
        if (value !== undefined) found.set(id, value);
      } catch (err) {
        if (err instanceof CorruptDocumentError) corrupt.push(err);
        else throw err;
      }
    });
    return { found, corrupt };
  }

  /** Writes (creates or replaces) one document atomically, in the store's write queue. Writes
   *  queued back to back share one task (see WriteQueue.write); a newer put of the same document
   *  that is still waiting replaces this one, and the promise resolves once it is on disk. */
  put(id: string, value: T): Promise<void> {
    const file = this.pathOf(id);
    return this.queue.write(file, () => this.write(file, value));
  }

  /** Writes several documents in one queue task, in parallel (bounded). Settles once every write
   *  has; rejects with the first failure. */
  async putMany(entries: Iterable<readonly [string, T]>): Promise<void> {
    const list = [...entries].map(([id, value]) => [this.pathOf(id), value] as const);
    if (this.queue.inTask) return this.forEachLimited(list, ([file, value]) => this.write(file, value));
    const outcomes = await Promise.allSettled(
      list.map(([file, value]) => this.queue.write(file, () => this.write(file, value))),
    );
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** Read-modify-write in one queue task. `fn` returns the new document, or undefined to leave the
   *  file as it is. Throws CorruptDocumentError when the current document is unreadable. */
  update(id: string, fn: (current: T | undefined) => T | undefined | Promise<T | undefined>): Promise<T | undefined> {
    const file = this.pathOf(id);
    return this.queue.run(async () => {
      const next = await fn(await this.get(id));
      if (next !== undefined) await this.write(file, next);
      return next;
    });
  }

  /** Removes a document; false when there was none. */
  delete(id: string): Promise<boolean> {
    const file = this.pathOf(id);
    return this.queue.run(async () => {
      try {
        await stat(file);
      } catch {
        return false;
      }
      await rm(file, { force: true });
      return true;
    });
  }

  /** Moves an unreadable document aside (never deleted: it is user data) so the id can be written
   *  again. Returns the backup path, or undefined when there was no file. */
  quarantine(id: string): Promise<string | undefined> {
    const file = this.pathOf(id);
    return this.queue.run(async () => {
      const backup = `${file}.corrupt-${Date.now()}`;
      try {
        await rename(file, backup);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
      return backup;
    });
  }

  private adapter(file: string): AtomicJsonFile<unknown> {
    return new AtomicJsonFile<unknown>(file, (value) => this.stringify(value as T));
  }

  private write(file: string, value: T): Promise<void> {
    // Chained synchronously so a third write cannot slip in between two others.
    const before = this.writing.get(file) ?? Promise.resolve();
    const done = before.catch(() => undefined).then(() => new Low<unknown>(this.adapter(file), value).write());
    this.writing.set(file, done);
    const cleanup = (): void => {
      if (this.writing.get(file) === done) this.writing.delete(file);
    };
    void done.then(cleanup, cleanup);
    return done;
  }

  private checkId(id: string): void {
    if (!SAFE_ID.test(id)) throw new InvalidDocumentIdError(this.name, id);
  }

  private async forEachLimited<I>(items: readonly I[], fn: (item: I) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) await fn(items[next++]);
    };
    // allSettled: one failure must not let the caller's task end while other workers still write.
    const outcomes = await Promise.allSettled(Array.from({ length: Math.min(this.concurrency, items.length) }, worker));
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
  }
}
