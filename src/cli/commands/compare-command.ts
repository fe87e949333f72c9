import type { Command } from 'commander';
import { loadSampledComparison } from '../../core/compare/load-comparison';
import { renderComparisonJson, toComparisonJson } from '../../core/compare/render-json';
import { escapeCell, renderComparisonMarkdown } from '../../core/compare/render-markdown';
import { renderComparisonText } from '../../core/compare/render-text';
import { safeText } from '../../core/compare/format-values';
import { sampleLabel } from '../../core/replay/replay-samples';
import { writeHtmlReport } from '../../core/report/html-report';
import type { PlatformScore } from '../../core/eval/evaluation-types';
import { platformScoresFor } from '../../core/replay/platform-replay';
import { PlatformError } from '../../core/sources/platform-errors';
import type { TraceStore } from '../../core/store/trace-store';
import { CliError } from '../cli-error';
import { writingOutput } from '../output-file';
import { envSessions } from '../source-option';
import { addStoreOption, withStore } from '../store-option';

const FORMATS = ['text', 'md', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** Scores the platform attached to the original and the written-back replay (its evaluators run
 *  after ingestion, so they are read now); nothing for local traces. Unreachable: said, not fatal. */
async function platformScores(store: TraceStore, jobId: string): Promise<PlatformScore[] | undefined> {
  try {
    const scores = await platformScoresFor(store, jobId, envSessions(store));
    return scores ? [...scores.original, ...scores.replay] : undefined;
  } catch (err) {
    if (!(err instanceof PlatformError) && !(err instanceof CliError)) throw err;
    console.error(`trace-replay: platform scores not shown: ${err.message}`);
    return undefined;
  }
}

export function registerCompareCommand(program: Command): void {
  addStoreOption(
    program
      .command('compare')
      .description('compare a replay with its original trace: metric deltas, span tree, input/output diffs, scores')
      .argument('<replay-id>', 'replay job id (from `trace-replay replays`)')
      .option('--format <format>', `output format: ${FORMATS.join(' | ')}`, 'text')
      .option('--color', 'colour the text output (default: when stdout is a terminal)')
      .option('--html <file>', 'also write a self-contained HTML report (the same renderer as the VS Code panel)'),
  ).action(async (replayId: string, opts: { store: string; format: string; color?: boolean; html?: string }) => {
    if (!FORMATS.includes(opts.format as Format))
      throw new CliError(`--format must be one of ${FORMATS.join(', ')}, got "${opts.format}".`, 'usage');
    // --repeat: a sample is shown with the spread of its sibling samples and a line saying which it is.
    const { comparison, sampleLine } = await withStore(opts.store, async (store) =>
      loadSampledComparison(store, replayId, await platformScores(store, replayId)),
    );
    const format = opts.format as Format;
    if (format === 'json') console.log(renderComparisonJson(comparison));
    else if (format === 'md')
      console.log(
        afterTitle(renderComparisonMarkdown(comparison), sampleLine ? ['', escapeCell(sampleLine)] : undefined),
      );
    else
      console.log(
        afterTitle(
          renderComparisonText(comparison, { color: opts.color ?? process.stdout.isTTY === true }),
          sampleLine ? [safeText(sampleLine)] : undefined,
        ),
      );
    const html = opts.html;
    if (html) {
      const written = await writingOutput('--html', html, () =>
        writeHtmlReport(html, toComparisonJson(comparison), {
          title: `Replay of ${comparison.traceName}${comparison.sample ? ` (${sampleLabel(comparison.sample)})` : ''}`,
        }),
      );
      console.error(`HTML report: ${written}`);
    }
  });
}

/** The report with `lines` under its title line (the first). */
function afterTitle(report: string, lines: string[] | undefined): string {
  if (!lines) return report;
  const [title, ...rest] = report.split('\n');
  return [title, ...lines, ...rest].join('\n');
}
