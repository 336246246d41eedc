/**
 * `supernode seeds`: k seed users by IMM (engine/rank/imm.ts) with what a campaign planner needs
 * beside the list: each seed's marginal gain (the members it adds to the spread of the seeds before
 * it), the communities it reaches, staff or bots left out (`--exclude`) or a shortlist
 * (`--candidates`), and a note when the seeds are just the PageRank top k. File output formats
 * (`--format csv|arrow|parquet`) go through the `compute seeds` contract (engine/cli/commands/compute.ts).
 */
import fs from 'node:fs';
import Table from 'cli-table3';
import { SupernodeError } from '../../errors.js';
import type { MemberDictionary } from '../../ingest/dictionary.js';
import { type GraphFlags, loadGraph } from '../load.js';
import { intOption, numOption } from '../options.js';
import { fmt } from '../output.js';

export interface SeedsFlags extends Omit<GraphFlags, 'format'> {
  k: string;
  model: 'wc' | 'ic' | 'lt';
  p?: string;
  epsilon: string;
  seed: string;
  json?: boolean;
  format?: string;
  inputFormat?: GraphFlags['format'];
  exclude?: string;
  candidates?: string;
  output?: string;
}

/**
 * Member ids from a flag: a path to a file (ids one per line, or the first comma/whitespace field
 * of each line; `#` lines skipped) or a comma-separated list.
 */
export function memberList(value: string, flag: string, members: MemberDictionary): number[] {
  const ids = fs.existsSync(value) && fs.statSync(value).isFile()
    ? fs.readFileSync(value, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => l.split(/[,\t ]/)[0]!)
    : value.split(',').map((s) => s.trim()).filter(Boolean);
  return ids.map((id) => {
    const i = members.indexOf(id);
    if (i < 0) throw new SupernodeError('UNKNOWN_MEMBER', `${flag}: no member "${id}"`);
    return i;
  });
}

export async function seedsCommand(file: string | undefined, flags: SeedsFlags): Promise<void> {
  if (flags.format !== undefined && flags.format !== 'table' && flags.format !== 'json') {
    if (flags.exclude !== undefined || flags.candidates !== undefined) {
      throw new SupernodeError('BAD_OPTION', `--exclude and --candidates are for the table and JSON; --format ${flags.format} writes the plain seed list`);
    }
    const { compute } = await import('./compute.js');
    await compute('seeds', file, flags as never);
    return;
  }
  const { runAlgorithm } = await import('../../catalog/index.js');
  const { topIndices } = await import('./compute.js');
  const loaded = await loadGraph(file, { ...flags, format: flags.inputFormat });
  const { graph, members } = loaded;
  const k = intOption(flags.k, '--k'), seed = intOption(flags.seed, '--seed');
  const exclude = flags.exclude === undefined ? undefined : memberList(flags.exclude, '--exclude', members);
  const candidates = flags.candidates === undefined ? undefined : memberList(flags.candidates, '--candidates', members);
  const p = numOption(flags.p, '--p'), epsilon = numOption(flags.epsilon, '--epsilon');
  const out = runAlgorithm('seeds', graph, {
    seed, k, model: flags.model, ...(p !== undefined && { p }), ...(epsilon !== undefined && { epsilon }),
    ...(exclude !== undefined && { exclude }), ...(candidates !== undefined && { candidates }),
  });
  if (out.kind !== 'seeds') throw new Error('seeds returned no seeds');
  const part = runAlgorithm('leiden', graph, { seed });
  if (part.kind !== 'partition') throw new Error('leiden returned no partition');
  // Communities a seed reaches directly: its own and those of the members acting towards it
  // (A -> B: B's content reaches A, the spread direction of the cascade models).
  const reached = Array.from(out.seeds, (v) => {
    const cs = new Set<number>([part.membership[v]!]);
    for (let e = graph.inOffsets[v]!; e < graph.inOffsets[v + 1]!; e++) cs.add(part.membership[graph.inSources[e]!]!);
    return [...cs].sort((a, b) => a - b);
  });
  const pr = runAlgorithm('pagerank', graph, { seed });
  if (pr.kind !== 'values') throw new Error('pagerank returned no values');
  const allowed = (v: number) => (candidates === undefined || candidates.includes(v)) && !(exclude ?? []).includes(v);
  const prTop = new Set(topIndices(pr.values, graph.n).filter(allowed).slice(0, out.seeds.length));
  const overlap = Array.from(out.seeds).filter((v) => prTop.has(v)).length;
  const note = overlap === out.seeds.length
    ? `the ${out.seeds.length} seeds are exactly the PageRank top ${out.seeds.length}: here the spread model picks no one PageRank would not`
    : `${overlap} of the ${out.seeds.length} seeds are in the PageRank top ${out.seeds.length}; the others were chosen for the members they reach that the top ranks do not`;
  const rows = Array.from(out.seeds, (v, i) => ({
    order: i + 1, id: members.idOf(v), marginal: out.marginal?.[i] ?? null, community: part.membership[v]!, communitiesReached: reached[i]!,
  }));
  if (flags.json || flags.format === 'json') {
    process.stdout.write(`${JSON.stringify({
      source: loaded.source, model: flags.model, k, seeds: rows, spread: out.spread,
      excluded: exclude?.length ?? 0, candidates: candidates?.length ?? null, pagerankTopOverlap: overlap, note, diagnostics: out.diagnostics,
    })}\n`);
    return;
  }
  const t = new Table({ head: ['order', 'member', 'marginal gain', 'community', 'communities reached'] });
  for (const r of rows) {
    const list = r.communitiesReached.slice(0, 6).join(', ') + (r.communitiesReached.length > 6 ? ', ...' : '');
    t.push([r.order, r.id, r.marginal === null ? '-' : fmt(r.marginal, 4), r.community, `${r.communitiesReached.length} (${list})`]);
  }
  process.stdout.write(`${rows.length} seed users of ${loaded.source} (${flags.model}); expected spread ${fmt(out.spread.mean)} members `
    + `(95% CI ${fmt(out.spread.ci95[0])}-${fmt(out.spread.ci95[1])}, ${out.spread.runs} cascades)`
    + `${exclude ? `; ${exclude.length} excluded` : ''}${candidates ? `; chosen among ${candidates.length} candidates` : ''}\n`
    + 'marginal gain = members a seed adds to the spread of the seeds above it (IMM estimate); communities reached = its own and those of the members who act towards it\n'
    + `note: ${note}\n${t.toString()}\n`);
}
