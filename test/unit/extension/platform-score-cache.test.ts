// The comparison panel's Langfuse scores: read only when asked, one read at a time per replay,
// nothing for local traces, a failure kept as one sentence next to the last good scores.
import assert from 'node:assert/strict';
import type { PlatformScore } from '../../../src/core/eval/evaluation-types';
import {
  PlatformScoreCache,
  type PlatformOrigin,
  type PlatformScoreDeps,
} from '../../../src/extension/sources/platform-score-cache';

const ORIGIN: PlatformOrigin = { connection: 'prod', label: 'Langfuse prod (cloud.langfuse.com)' };
const score = (name: string, value: number): PlatformScore => ({
  name,
  value,
  source: 'langfuse:eval',
  target: { traceId: 't1' },
});

class RateLimited extends Error {}

interface Harness {
  cache: PlatformScoreCache;
  fetches: string[];
  originLookups: string[];
  reads: string[];
  /** The answer of the next fetch: scores, or an error to throw. */
  next: PlatformScore[] | Error;
  /** When set, fetches wait for this before answering. */
  gate?: Promise<void>;
}

function harness(origins: Record<string, PlatformOrigin | undefined>): Harness {
  const h = {
    fetches: [] as string[],
    originLookups: [] as string[],
    reads: [] as string[],
    next: [] as PlatformScore[] | Error,
  } as Harness;
  const deps: PlatformScoreDeps = {
    originOf: async (jobId) => {
      h.originLookups.push(jobId);
      return origins[jobId];
    },
    fetch: async (jobId) => {
      h.fetches.push(jobId);
      await h.gate;
      if (h.next instanceof Error) throw h.next;
      return h.next;
    },
    describeError: (err) => (err instanceof RateLimited ? err.message : 'unexpected'),
    onDidRead: (jobId) => h.reads.push(jobId),
    now: () => new Date('2026-03-01T10:00:00.000Z'),
  };
  h.cache = new PlatformScoreCache(deps);
  return h;
}

describe('PlatformScoreCache', () => {
  it('reads nothing and shows nothing for a replay of a local trace', async () => {
    const h = harness({ local: undefined });
    assert.equal(await h.cache.start('local'), undefined);
    assert.equal(await h.cache.view('local'), undefined);
    assert.deepEqual(h.fetches, []);
    assert.deepEqual(h.originLookups, ['local'], 'the origin is looked up once');
  });

  it('is unread until asked, reading while a read is in flight, then read with the scores and when', async () => {
    const h = harness({ j1: ORIGIN });
    assert.deepEqual(await h.cache.view('j1'), { scores: [], status: { platform: ORIGIN.label, state: 'unread' } });
    assert.deepEqual(h.fetches, [], 'showing the panel does not read');

    let open!: () => void;
    h.gate = new Promise((resolve) => (open = resolve));
    h.next = [score('helpfulness', 0.8)];
    const started = await h.cache.start('j1');
    assert.equal((await h.cache.view('j1'))?.status.state, 'reading');
    const again = await h.cache.start('j1');
    assert.equal(again?.done, started?.done, 'a second ask joins the read in flight');
    open();
    await started?.done;
    assert.deepEqual(h.fetches, ['j1'], 'one request for both asks');
    assert.deepEqual(h.reads, ['j1']);
    assert.deepEqual(await h.cache.view('j1'), {
      scores: [score('helpfulness', 0.8)],
      status: { platform: ORIGIN.label, state: 'read', readAt: '2026-03-01T10:00:00.000Z' },
    });
  });

  it('ifUnread does not read again what was read (or tried); a plain start does (Refresh)', async () => {
    const h = harness({ j1: ORIGIN });
    await (
      await h.cache.start('j1', { ifUnread: true })
    )?.done;
    assert.equal(await h.cache.start('j1', { ifUnread: true }), undefined);
    await (
      await h.cache.start('j1')
    )?.done;
    assert.deepEqual(h.fetches, ['j1', 'j1']);
  });

  it('a failed read says why in one sentence and keeps the scores of the last good read', async () => {
    const h = harness({ j1: ORIGIN });
    h.next = [score('helpfulness', 0.8)];
    await (
      await h.cache.start('j1')
    )?.done;
    h.next = new RateLimited(
      'Langfuse at https://x is rate-limiting this project (retry after 120 s); wait a moment and try again.',
    );
    await (
      await h.cache.start('j1')
    )?.done;
    const view = await h.cache.view('j1');
    assert.deepEqual(view?.scores, [score('helpfulness', 0.8)]);
    assert.deepEqual(view?.status, {
      platform: ORIGIN.label,
      state: 'failed',
      readAt: '2026-03-01T10:00:00.000Z',
      error: 'Langfuse at https://x is rate-limiting this project (retry after 120 s); wait a moment and try again.',
    });
    assert.deepEqual(h.reads, ['j1', 'j1'], 'a failed read ends like any other (the panel shows it)');

    h.next = [];
    await (
      await h.cache.start('j1')
    )?.done;
    assert.deepEqual(await h.cache.view('j1'), {
      scores: [],
      status: { platform: ORIGIN.label, state: 'read', readAt: '2026-03-01T10:00:00.000Z' },
    });
  });

  it('clear() forgets scores and origins (another store)', async () => {
    const h = harness({ j1: ORIGIN });
    await (
      await h.cache.start('j1')
    )?.done;
    h.cache.clear();
    assert.equal((await h.cache.view('j1'))?.status.state, 'unread');
    assert.deepEqual(h.originLookups, ['j1', 'j1']);
  });
});
