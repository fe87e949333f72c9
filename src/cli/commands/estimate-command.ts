// `trace-replay estimate`: what a `batch` with the same selection and overrides would cost, for
// planning. It reads the traces (a platform's are copied into the store, as batch does) and never
// sends anything: the per-model breakdown (replayed calls, A/A baseline calls, llm-judge calls) and
// the total range, with every unpriced model named and its reason.
import type { Command } from 'commander';
import type { Trace } from '../../core/model/trace';
import { estimateBreakdown } from '../../core/pricing/estimate-text';
import { fetchIntoStore } from '../../core/sources/fetch-into-store';
import { CliError } from '../cli-error';
import { sampleCounts } from '../../core/replay/replay-samples';
import { estimateSamples } from '../../core/pricing/replay-estimate';
import { estimateFor } from '../budget-option';
import { addEvaluationOptions, type EvaluationOptions } from '../evaluation-options';
import { addOverrideOptions, overridesFrom, type OverrideOptions } from '../override-options';
import { addSourceOption, openSource } from '../source-option';
import { addStoreOption, withStore } from '../store-option';
import { addTraceSelectionOptions, selectTraces, type TraceSelectionOptions } from '../trace-selection';

interface EstimateOptions extends OverrideOptions, EvaluationOptions, TraceSelectionOptions {
  store: string;
  source: string;
  json?: boolean;
}

export function registerEstimateCommand(program: Command): void {
  addSourceOption(
    addStoreOption(
      addEvaluationOptions(
        addOverrideOptions(
          addTraceSelectionOptions(
            program
              .command('estimate')
              .description(
                'the cost of a `batch` with the same selection and overrides (recorded tokens x target prices, llm-judge calls included); sends nothing',
              ),
          ).option('--json', 'print the estimate as JSON (per trace, per model, total range, unpriced models)'),
        ),
      ),
    ),
  ).action(async (opts: EstimateOptions) => {
    if (opts.fromSpan !== undefined)
      throw new CliError(
        '--from-span names a span of one trace and estimate selects many, as batch does; leave it out.',
        'usage',
      );
    const overrides = overridesFrom(opts);
    const samples = estimateSamples(sampleCounts(opts.repeat, opts.baselineRepeat));
    const estimate = await withStore(opts.store, async (store) => {
      const source = await openSource(opts.source, store);
      const summaries = await selectTraces(source, store, opts);
      if (summaries.length === 0) {
        const where = source.kind === 'local' ? opts.store : source.label;
        throw new CliError(
          `No recorded traces in ${where} match; list them with \`trace-replay traces${source.kind === 'local' ? '' : ` --source ${opts.source}`}\`.`,
        );
      }
      const traces: Trace[] = [];
      for (const summary of summaries) {
        // A platform's trace is copied into the store, as batch does (nothing is sent to a model).
        const trace =
          source.kind === 'local'
            ? await store.getTrace(summary.id)
            : (await fetchIntoStore(source, store, summary.id, { refresh: opts.refresh })).trace;
        if (trace) traces.push(trace);
      }
      return estimateFor(traces, overrides, opts, samples);
    });
    if (opts.json) console.log(JSON.stringify(estimate, null, 2));
    else console.log(estimateBreakdown(estimate));
  });
}
