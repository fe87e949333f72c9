// Every command that reads or writes traces takes `--store DIR` (default ./.trace-replay).
import path from 'node:path';
import type { Command } from 'commander';
import { TraceStore } from '../core/store/trace-store';

export const DEFAULT_STORE_DIR = '.trace-replay';

export function addStoreOption(command: Command): Command {
  return command.option('--store <dir>', 'trace store folder', DEFAULT_STORE_DIR);
}

export async function withStore<T>(dir: string, work: (store: TraceStore) => Promise<T>): Promise<T> {
  const store = await TraceStore.open(path.resolve(dir));
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
