// Typed failures of the local store. Callers branch on the class or on `code`, never on the message.
import { UserError } from '../util/user-error';

export type StoreErrorCode =
  | 'STORE_CORRUPT_DOCUMENT'
  | 'STORE_INVALID_ID'
  | 'STORE_CLOSED'
  | 'STORE_UNSUPPORTED_VERSION'
  | 'STORE_OPEN_FAILED'
  | 'STORE_BUSY'
  | 'STORE_LOCK_FAILED';

export abstract class StoreError extends UserError {
  abstract override readonly code: StoreErrorCode;
}

/** A document exists but cannot be parsed or does not have the expected shape. The rest of the
 *  store keeps working; the file is left in place (or backed up) so no user data is lost. */
export class CorruptDocumentError extends StoreError {
  readonly code = 'STORE_CORRUPT_DOCUMENT' as const;
  constructor(
    readonly collection: string,
    readonly id: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(`The ${collection} document "${id}" at ${path} is corrupt or unreadable.`, options);
    this.name = 'CorruptDocumentError';
  }
}

/** Ids become file names, so only a safe character set is accepted. */
export class InvalidDocumentIdError extends StoreError {
  readonly code = 'STORE_INVALID_ID' as const;
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(`"${id}" is not a valid ${collection} id (use letters, digits, '.', '_' or '-', not starting with '.').`);
    this.name = 'InvalidDocumentIdError';
  }
}

export class StoreClosedError extends StoreError {
  readonly code = 'STORE_CLOSED' as const;
  constructor(readonly dir: string) {
    super(`The trace store at ${dir} is closed.`);
    this.name = 'StoreClosedError';
  }
}

/** The folder was written by a newer Trace Replay; it is not touched so the newer version keeps its data. */
export class UnsupportedStoreVersionError extends StoreError {
  readonly code = 'STORE_UNSUPPORTED_VERSION' as const;
  constructor(
    readonly path: string,
    readonly version: unknown,
  ) {
    super(
      `${path} has store format version ${String(version)}, which this version of Trace Replay cannot read; update Trace Replay.`,
    );
    this.name = 'UnsupportedStoreVersionError';
  }
}

export class StoreOpenError extends StoreError {
  readonly code = 'STORE_OPEN_FAILED' as const;
  constructor(
    readonly dir: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot open the trace store folder ${dir}.`, options);
    this.name = 'StoreOpenError';
  }
}

/** Another process held the store's lock for longer than this one was willing to wait. */
export class StoreBusyError extends StoreError {
  readonly code = 'STORE_BUSY' as const;
  constructor(
    readonly dir: string,
    readonly waitedMs: number,
  ) {
    super(
      `Another Trace Replay process kept the store ${dir} locked for more than ${Math.round(waitedMs / 1000)} s; ` +
        'wait for it to finish (or stop it) and try again.',
    );
    this.name = 'StoreBusyError';
  }
}

/** The store's lock file cannot be created (a read-only folder, missing permissions). */
export class StoreLockError extends StoreError {
  readonly code = 'STORE_LOCK_FAILED' as const;
  constructor(
    readonly dir: string,
    readonly lockPath: string,
    options?: { cause?: unknown },
  ) {
    const reason = (options?.cause as NodeJS.ErrnoException | undefined)?.code;
    super(
      `Cannot write to the trace store ${dir}${reason ? ` (${reason} on ${lockPath})` : ''}; ` +
        'make the folder writable or choose another store folder.',
      options,
    );
    this.name = 'StoreLockError';
  }
}
