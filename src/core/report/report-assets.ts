// The files a self-contained HTML report inlines: the webview bundle (dist/webview/main.js, built
// by `npm run build`), the panels' CSS, the fallback theme and the codicons font. Found from this
// module's folder, both in the bundle (dist/cli.js: __dirname is dist/) and in the source tree
// (src/core/report/ under tsx).
import { UserError } from '../util/user-error';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ReportAssets {
  script: string;
  css: string;
  themeCss: string;
  /** codicon.css with its font inlined as a data: URL. */
  codiconCss: string;
}

export class ReportAssetsMissingError extends UserError {
  readonly code = 'REPORT_ASSETS_MISSING';
  constructor(readonly missing: string) {
    super(
      `The HTML report needs ${missing}, which is missing; run \`npm run build\` in the trace-replay folder first.`,
    );
    this.name = 'ReportAssetsMissingError';
  }
}

const PACKAGE_NAME = 'trace-replay';

/** The package folder: the nearest parent of `from` whose package.json is ours. */
export function findPackageRoot(from: string = __dirname): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
      } catch {
        // An unreadable manifest is not ours; keep walking up.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function firstExisting(candidates: string[]): string | undefined {
  return candidates.find((c) => existsSync(c));
}

/** Folders that may hold codicon.css + codicon.ttf: a copy next to the webview bundle (packaged
 *  extension), else the npm package. */
export function codiconsDirs(root: string): string[] {
  return [
    path.join(root, 'dist', 'webview', 'codicons'),
    path.join(root, 'node_modules', '@vscode', 'codicons', 'dist'),
  ];
}

export function inlineCodiconFont(css: string, ttf: Buffer): string {
  return css.replace(
    /url\((["']?)\.\/codicon\.ttf[^)"']*\1\)/g,
    `url("data:font/ttf;base64,${ttf.toString('base64')}")`,
  );
}

export function loadReportAssets(root: string | undefined = findPackageRoot()): ReportAssets {
  if (!root) throw new ReportAssetsMissingError('the trace-replay package folder (package.json)');
  const scriptPath = path.join(root, 'dist', 'webview', 'main.js');
  if (!existsSync(scriptPath)) throw new ReportAssetsMissingError(scriptPath);
  const cssPath = path.join(root, 'media', 'webview.css');
  const themePath = path.join(root, 'media', 'report-theme.css');
  for (const p of [cssPath, themePath]) if (!existsSync(p)) throw new ReportAssetsMissingError(p);
  const codicons = firstExisting(codiconsDirs(root).filter((d) => existsSync(path.join(d, 'codicon.ttf'))));
  if (!codicons) throw new ReportAssetsMissingError('the codicons font (@vscode/codicons)');
  return {
    // The bundle's source map comment would point at a file the report does not ship.
    script: readFileSync(scriptPath, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'),
    css: readFileSync(cssPath, 'utf8'),
    themeCss: readFileSync(themePath, 'utf8'),
    codiconCss: inlineCodiconFont(
      readFileSync(path.join(codicons, 'codicon.css'), 'utf8'),
      readFileSync(path.join(codicons, 'codicon.ttf')),
    ),
  };
}
