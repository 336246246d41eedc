/**
 * `supernode trajectory` and `supernode stability`: how a member's standing moves over time, and how
 * much a top-k ranking owes to the particular interactions recorded. Both rank by an influence
 * measure (PageRank by default, or in-strength: credit flows to the member acted upon), the one the
 * super-node score and rising stars use, through engine/rank/rising.ts and engine/rank/stability.ts.
 */
import Table from 'cli-table3';
import { SupernodeError } from '../errors.js';
import { runAlgorithm } from '../catalog/index.js';
import { inStrength } from '../algorithms/degree.js';
import { edgeCount } from '../graph/csr.js';
import type { MeasureCallback } from '../rank/stability.js';
import { rankStability, superNodeMeasure } from '../rank/stability.js';
import { trajectory } from '../rank/rising.js';
import { buildOptions, type GraphFlags, loadGraph, parseDuration } from './load.js';
import { fmt } from './output.js';

export interface TimeFlags extends GraphFlags {
  measure: string;
  json?: boolean;
}

function influence(name: string, seed: number): MeasureCallback {
  if (name === 'pagerank') {
    return (_cols, g) => {
      const out = runAlgorithm('pagerank', g, { seed });
      if (out.kind !== 'values') throw new Error('pagerank returned no values');
      return out.values;
    };
  }
  if (name === 'in-strength') return (_cols, g) => inStrength(g);
  if (name === 'supernode') {
    return superNodeMeasure((g, algorithm, params) => {
      const out = runAlgorithm(algorithm, g, params);
      if (out.kind !== 'values') throw new Error(`${algorithm} returned no values`);
      return out.values;
    }, seed);
  }
  throw new SupernodeError('BAD_OPTION', `--measure must be pagerank, in-strength or supernode, got "${name}"`);
}

export async function trajectoryCommand(file: string | undefined, flags: TimeFlags & { member: string; step: string }): Promise<void> {
  // The window flags choose the span the windows cover, not a filter applied before splitting it.
  const loaded = await loadGraph(file, { ...flags, window: undefined, from: undefined, to: undefined });
  const { columns, members } = loaded;
  const nodes = flags.member.split(',').map((id) => {
    const i = members.indexOf(id);
    if (i < 0) throw new SupernodeError('UNKNOWN_MEMBER', `--member: no member "${id}" in ${loaded.source}`);
    return i;
  });
  const span = buildOptions(flags, columns).window;
  const build = buildOptions({ ...flags, window: undefined, from: undefined, to: undefined }, columns);
  const r = trajectory(columns, influence(flags.measure, 42), {
    windowMs: parseDuration(flags.step), members: nodes, build,
    ...(span?.from !== undefined && { from: span.from }), ...(span?.to !== undefined && { to: span.to }),
  });
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({
      source: loaded.source, measure: flags.measure, step: flags.step,
      windows: r.windows.map((w) => ({ from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString(), interactions: w.rows })),
      members: r.members.map((m) => ({ id: members.idOf(m.node), ranks: m.ranks, scores: m.scores.map((x) => (Number.isFinite(x) ? x : null)) })),
    })}\n`);
    return;
  }
  const t = new Table({ head: ['window', 'interactions', ...r.members.map((m) => `${members.idOf(m.node)} rank (${flags.measure})`)] });
  r.windows.forEach((w, i) => t.push([`${iso(w.from)} .. ${iso(w.to)}`, fmt(w.rows), ...r.members.map((m) => `${m.ranks[i]} (${fmt(m.scores[i]!, 4)})`)]));
  process.stdout.write(`trajectory on ${loaded.source}: ${r.windows.length} windows of ${flags.step}; rank 1 = most ${flags.measure}\n${t.toString()}\n`);
}

export async function stabilityCommand(
  file: string | undefined, flags: TimeFlags & { k: string; resamples: string; seed: string },
): Promise<void> {
  const loaded = await loadGraph(file, flags);
  const int = (v: string, name: string) => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < 1) throw new SupernodeError('BAD_OPTION', `${name} must be a positive integer, got "${v}"`);
    return x;
  };
  const k = int(flags.k, '--k'), resamples = int(flags.resamples, '--resamples'), seed = Number(flags.seed);
  const r = rankStability(loaded.columns, influence(flags.measure, seed), { k, resamples, seed, build: buildOptions(flags, loaded.columns) });
  const { members } = loaded;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({
      source: loaded.source, nodes: loaded.graph.n, edges: edgeCount(loaded.graph), measure: flags.measure, k, resamples,
      meanOverlap: r.meanOverlap, members: r.members.map((m) => ({ id: members.idOf(m.node), rank: m.rank, score: m.score, stayShare: m.stayShare, rankInterval90: m.rankInterval90, medianRank: m.medianRank })),
    })}\n`);
    return;
  }
  const t = new Table({ head: ['rank', 'member', flags.measure, `stays in top ${k}`, 'median rank', '90% rank interval'] });
  for (const m of r.members) t.push([m.rank, members.idOf(m.node), fmt(m.score, 4), `${Math.round(100 * m.stayShare)}%`, m.medianRank, `${m.rankInterval90[0]}-${m.rankInterval90[1]}`]);
  process.stdout.write(`rank stability of the top ${k} by ${flags.measure} on ${loaded.source}: ${resamples} bootstrap resamples of the interactions, `
    + `mean top-${k} overlap ${(100 * r.meanOverlap).toFixed(0)}%\n${t.toString()}\n`);
}
