// The `.env` format an mcp.json server's `envFile` names (as VS Code reads it): `KEY=value` lines,
// `#` comments, an optional `export ` prefix, values optionally in single or double quotes (double
// quotes understand \n, \r, \t, \" and \\). Lines that are none of these are reported, never skipped
// silently.

export interface EnvFileContent {
  values: Record<string, string>;
  /** 1-based numbers of the lines that are not `KEY=value`, a comment or blank. */
  badLines: number[];
}

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/;

function unquote(raw: string): string {
  // A quoted value ends at its closing quote (a comment may follow).
  const dq = /^"((?:[^"\\]|\\.)*)"/.exec(raw);
  if (dq)
    return dq[1].replace(
      /\\([nrt"\\])/g,
      (_m, c: string) => ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' })[c] ?? c,
    );
  const sq = /^'([^']*)'/.exec(raw);
  if (sq) return sq[1];
  // An unquoted value ends at a ` #` comment.
  const comment = raw.search(/\s#/);
  return (comment === -1 ? raw : raw.slice(0, comment)).trim();
}

export function parseEnvFile(text: string): EnvFileContent {
  const values: Record<string, string> = {};
  const badLines: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const m = LINE.exec(line);
    if (!m) {
      badLines.push(i + 1);
      return;
    }
    values[m[1]] = unquote(m[2]);
  });
  return { values, badLines };
}
