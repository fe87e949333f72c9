// Browser entry of the Trace Replay panels (one bundle for the comparison, batch and trace detail
// panels, and for the static HTML report). Inside VS Code it announces itself with the `ready`
// handshake and renders what the host posts; in a report it renders the message embedded in the
// page. Trace content is untrusted (LLM output may contain markup): it only ever becomes text nodes.
// esbuild emits this as dist/webview/main.css next to the bundle (the webview may load only that folder).
import '../media/webview.css';
import {
  envelope,
  isMessage,
  NoticeMessage,
  OpenComparisonMessage,
  OpenDiffMessage,
  OpenSpanMessage,
  OpenTemplateMessage,
  ReadyMessage,
  RefreshPlatformScoresMessage,
  ReplayFromSpanMessage,
  ReplayTraceMessage,
  SelectReplayMessage,
  ShowBatchMessage,
  ShowComparisonMessage,
  ShowTraceMessage,
} from '../src/protocol';
import { renderBatch } from './batch-view';
import { renderComparison } from './comparison-view';
import { el } from './dom';
import { createBridge, embeddedMessage } from './host-bridge';
import { renderTrace } from './trace-view';

const bridge = createBridge();
const root = document.getElementById('root') ?? document.body;
document.body.classList.toggle('standalone', !bridge.interactive);

/** Builds and shows a panel. The figures `npm run bench` reads: `trace-replay:render` (building
 *  the DOM and inserting it) and `trace-replay:first-render` (up to the next frame, so style and
 *  layout are included). */
function show(build: () => HTMLElement): void {
  performance.mark('trace-replay:render-start');
  root.replaceChildren(build());
  performance.mark('trace-replay:render-end');
  performance.measure('trace-replay:render', 'trace-replay:render-start', 'trace-replay:render-end');
  // Tests and the bench wait on these attributes (set once the DOM is in place / painted), not on timers.
  const count = String(Number(document.body.dataset.rendered ?? '0') + 1);
  document.body.dataset.rendered = count;
  requestAnimationFrame(() => {
    performance.mark('trace-replay:first-frame');
    performance.measure('trace-replay:first-render', 'trace-replay:render-start', 'trace-replay:first-frame');
    document.body.dataset.painted = count;
  });
}

function handle(message: unknown): void {
  if (isMessage(ShowComparisonMessage, message)) {
    const p = message.params;
    bridge.saveState({ panel: 'comparison', jobId: p.comparison.replayId });
    show(() =>
      renderComparison(p, {
        interactive: bridge.interactive,
        openDiff: (replayId, spanId, side) => bridge.post(envelope(OpenDiffMessage, { replayId, spanId, side })),
        selectReplay: (jobId) => bridge.post(envelope(SelectReplayMessage, { jobId })),
        openSpan: (traceId, spanId) => bridge.post(envelope(OpenSpanMessage, { traceId, spanId })),
        openTemplate: (path) => bridge.post(envelope(OpenTemplateMessage, { path })),
        refreshPlatformScores: (replayId) => bridge.post(envelope(RefreshPlatformScoresMessage, { replayId })),
      }),
    );
  } else if (isMessage(ShowBatchMessage, message)) {
    bridge.saveState({ panel: 'batch', jobIds: message.params.batch.replayIds });
    show(() => renderBatch(message.params));
  } else if (isMessage(ShowTraceMessage, message)) {
    const p = message.params;
    bridge.saveState({ panel: 'trace', traceId: p.traceId });
    show(() =>
      renderTrace(
        p,
        {
          interactive: bridge.interactive,
          replay: (traceId) => bridge.post(envelope(ReplayTraceMessage, { traceId })),
          replayFromSpan: (traceId, spanId) => bridge.post(envelope(ReplayFromSpanMessage, { traceId, spanId })),
          openComparison: (jobId) => bridge.post(envelope(OpenComparisonMessage, { jobId })),
          openTemplate: (path) => bridge.post(envelope(OpenTemplateMessage, { path })),
        },
        p.selectSpanId,
      ),
    );
  } else if (isMessage(NoticeMessage, message)) {
    show(() =>
      el(
        'main',
        { className: 'notice' },
        el('h1', null, message.params.title),
        el('pre', { className: 'text' }, message.params.text),
      ),
    );
  }
}

if (bridge.interactive) {
  window.addEventListener('message', (event: MessageEvent<unknown>) => handle(event.data));
  bridge.post(envelope(ReadyMessage, { panel: document.body.dataset.panel ?? 'unknown' }));
} else {
  const embedded = embeddedMessage(document);
  if (embedded !== undefined) handle(embedded);
  else
    show(() =>
      el(
        'main',
        { className: 'notice' },
        el('h1', null, 'Nothing to show'),
        el('p', null, 'This page has no embedded Trace Replay data.'),
      ),
    );
}
