/**
 * Dashboard load time in a real browser (Debian's chromium through playwright-core, the flags of
 * test/browser/chromium.ts, 1280x800) against a real server (api/server.ts startServer, port 0):
 *   - `CollegeMsg`: the bundled dataset (59,835 rows, 1,899 members);
 *   - `planted-1M`: a seeded LFR-like planted partition (datasets/generators.ts plantedPartition:
 *     100,000 members, average degree 25, mixing 0.3, seed 7 -> 1.02M rows) with seeded
 *     uniform timestamps over 90 days, stored as CSV and analysed by the server's own job.
 *
 * Cases per dataset, each `RUNS` times in a fresh browser context (empty HTTP cache, new session
 * from a one-time login link), times from `page.goto` until the view says it is done:
 *   `top`:          login link -> redirect -> top super-nodes table rendered (aria-busy=false);
 *   `super-graph`:  the communities view: table and the super-graph drawn by sigma (data-drawn);
 *   `community`:    the largest community's subgraph drawn (its top 150 members);
 *   `member`:       the top member's profile with its ego network drawn.
 * `medianMs` is measured here (goto -> selector, so it includes the DevTools round trips);
 * `pageMedianMs` is the page's own `view-ready:<view>` performance mark, from its navigation start
 * (the login redirect included) to the end of the view's render (graph drawn).
 * The first run of `community` and `member` includes the server building the dataset's graph in
 * its graph thread (cold); the median is over all runs. Each case also records the bytes the page
 * fetched (JSON and assets) and the graph's node and tie counts.
 *   npx tsx bench/dashboard.bench.ts [--runs 5] [--no-large]
 * Writes bench/results/dashboard.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { type RunningServer, startServer } from '../api/server.js';
import { createRngU32 } from '../engine/algorithms/random.js';
import { DEFAULT_DATASET } from '../engine/cli/options.js';
import { ingestFile } from '../engine/ingest/index.js';
import { plantedPartition } from '../datasets/generators.js';
import { haveChromium, launchBrowser } from '../test/browser/chromium.js';
import { type CaseResult, log, writeResults } from './harness.js';

const argv = process.argv.slice(2);
const RUNS = (() => {
  const i = argv.indexOf('--runs');
  return i >= 0 ? Number(argv[i + 1]) : 5;
})();
const large = !argv.includes('--no-large');
if (!haveChromium()) {
  log('dashboard bench: no /usr/bin/chromium (apt-get install chromium); nothing measured');
  process.exit(1);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-bench-dash-'));

async function waitJob(server: RunningServer, id: string): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const j = server.app.supernode.ctx.jobs.get(id);
    if (j.state === 'succeeded') return (performance.now() - t0) / 1000;
    if (j.state === 'failed' || j.state === 'cancelled') throw new Error(`job ${id} ${j.state}: ${JSON.stringify(j.error)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The planted partition as a CSV file with timestamps (seconds) over 90 days. */
function writePlanted(file: string): { rows: number; nodes: number; communities: number } {
  const p = plantedPartition({ n: 100_000, avgDegree: 25, mixing: 0.3, seed: 7 });
  const next = createRngU32(11);
  const t0 = 1_700_000_000, span = 90 * 86_400;
  const out = fs.openSync(file, 'w');
  let buf = 'source,target,timestamp\n';
  for (let e = 0; e < p.source.length; e++) {
    buf += `u${p.source[e]},u${p.target[e]},${t0 + (next() % span)}\n`;
    if (buf.length > 1 << 20) {
      fs.writeSync(out, buf);
      buf = '';
    }
  }
  fs.writeSync(out, buf);
  fs.closeSync(out);
  return { rows: p.source.length, nodes: p.n, communities: p.communities };
}

const server = await startServer({
  dataDir, port: 0, logger: false, handleSignals: false,
  bundled: { name: DEFAULT_DATASET.name, file: DEFAULT_DATASET.file, columns: DEFAULT_DATASET.columns.split(','), directed: true },
});
const { ctx, sessions } = server.app.supernode;
const datasets: { name: string; info: Record<string, unknown> }[] = [];
try {
  if (server.bundledJob) {
    const s = await waitJob(server, server.bundledJob);
    datasets.push({ name: 'CollegeMsg', info: { rows: 59_835, nodes: 1_899, analysisSeconds: Math.round(s * 10) / 10 } });
  }
  if (large) {
    const file = path.join(dataDir, 'planted-1M.csv');
    const g = writePlanted(file);
    const t0 = performance.now();
    await ctx.store.create('planted-1M', { directed: true });
    await ctx.store.append('planted-1M', await ingestFile(file));
    const ingestSeconds = (performance.now() - t0) / 1000;
    const job = await ctx.jobs.submit('planted-1M', 'analysis', {});
    const s = await waitJob(server, job.id);
    datasets.push({ name: 'planted-1M', info: { ...g, plantedCommunities: g.communities, ingestSeconds: Math.round(ingestSeconds * 10) / 10, analysisSeconds: Math.round(s * 10) / 10 } });
    log(`planted-1M: ${g.rows} rows, ${g.nodes} members; ingest ${ingestSeconds.toFixed(1)} s, analysis ${s.toFixed(1)} s`);
  }

  const browser = await launchBrowser();
  const SHOTS = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'test-output', 'screenshots');
  fs.mkdirSync(SHOTS, { recursive: true });
  const cases: CaseResult[] = [];
  try {
    for (const { name, info } of datasets) {
      const snap = ctx.snapshots.get(name);
      const biggest = [...snap.communities].sort((a, b) => b.size - a.size)[0]!;
      const top = snap.members[0]!;
      const views = [
        { view: 'top', hash: 'top', done: '#top-table tbody tr', graph: null },
        { view: 'super-graph', hash: 'communities', done: '#supergraph[data-drawn]', graph: '#supergraph' },
        { view: 'community', hash: `community/${biggest.id}`, done: '#community-graph[data-drawn]', graph: '#community-graph' },
        { view: 'member', hash: `member/${encodeURIComponent(top.id)}`, done: '#ego-graph[data-drawn]', graph: '#ego-graph' },
      ];
      for (const v of views) {
        const ms: number[] = [], inPage: number[] = [];
        let bytes = 0, drawn: string | null = null, requests = 0;
        for (let r = 0; r < RUNS; r++) {
          // A fresh context: empty cache, no cookie; the one-time link logs in as a user would.
          const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
          const page: Page = await context.newPage();
          let b = 0, n = 0;
          page.on('response', (res) => {
            n++;
            void res.body().then((x) => { b += x.byteLength; }, () => {});
          });
          // The fragment survives the login redirect (a Location without one inherits it).
          const url = `${server.url}/?token=${sessions.issueLoginToken('read')}#/d/${encodeURIComponent(name)}/${v.hash}`;
          const t0 = performance.now();
          await page.goto(url);
          await page.waitForSelector(v.done, { timeout: 120_000 });
          await page.waitForSelector('#view[aria-busy="false"]', { timeout: 120_000 });
          ms.push(performance.now() - t0);
          // The page's own mark (web/src/main.ts): from its navigation start, redirect included.
          inPage.push(await page.evaluate((view) => performance.getEntriesByName(`view-ready:${view}`).at(-1)?.startTime ?? Number.NaN, v.hash.split('/')[0]!));
          await new Promise((res) => setTimeout(res, 100)); // let response bodies settle for the byte count
          bytes = b;
          requests = n;
          if (v.graph) drawn = await page.getAttribute(v.graph, 'data-drawn');
          if (r === 0) await page.screenshot({ path: path.join(SHOTS, `bench-${name}-${v.view}.png`) });
          await page.close();
          await context.close();
        }
        const sorted = [...ms].sort((a, b) => a - b);
        const c = {
          name: `${name} ${v.view}`, dataset: name, view: v.view, runs: RUNS,
          medianMs: Math.round(sorted[Math.floor(sorted.length / 2)]!), minMs: Math.round(sorted[0]!), maxMs: Math.round(sorted.at(-1)!), firstMs: Math.round(ms[0]!),
          pageMedianMs: Math.round([...inPage].sort((a, b) => a - b)[Math.floor(inPage.length / 2)]!),
          bytesFetched: bytes, requests, drawn,
        };
        cases.push(c);
        log(`${c.name}: median ${c.medianMs} ms (in page ${c.pageMedianMs}; first ${c.firstMs}, min ${c.minMs}, max ${c.maxMs}), ${(bytes / 1024).toFixed(0)} KiB in ${requests} requests${drawn ? `, drawn ${drawn}` : ''}`);
      }
    }
  } finally {
    await browser.close();
  }
  const file = writeResults('dashboard', cases, {
    datasets: Object.fromEntries(datasets.map((d) => [d.name, d.info])),
    setup: `startServer in this process (threads: all cores, logger off) on 127.0.0.1; Debian chromium ${'headless'} via playwright-core, 1280x800, SwiftShader WebGL; each run a fresh browser context (empty cache, no cookie) logging in with a one-time link; ${RUNS} runs per view`,
  });
  log(`wrote ${file}`);
} finally {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
