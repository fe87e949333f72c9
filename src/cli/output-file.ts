// Files a command writes on request (--report, --junit, --html): a file-system refusal is the
// user's to fix (a missing folder, no permission), said in one sentence with exit 1, not a bug.
import { CliError } from './cli-error';

/** Runs `write`; a file-system error (ENOENT, EACCES, EISDIR...) becomes a CliError naming the flag and file. */
export async function writingOutput<T>(flag: string, file: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) throw err;
    throw new CliError(
      `Cannot write ${flag} ${file} (${code}); check that the path is a file in a writable folder, or give another path.`,
    );
  }
}
