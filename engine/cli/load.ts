/**
 * Shared by every CLI command: read edges (a file, or a stored dataset) and build the graph the
 * command asked for. The one place where CLI flags become ingest and build options.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SupernodeError } from '../errors.js';
import { type BuildOptions, type BuiltGraph, type EdgeColumns, buildGraph } from '../graph/builder.js';
import { ingestFile, type IngestOptions } from '../ingest/index.js';
import { type InputLimits, limitValue } from '../limits.js';
import type { MemberDictionary } from '../ingest/dictionary.js';
import { DatasetStore } from '../store/index.js';
import { readDatasetLabels } from '../store/labels.js';
import { pendingNotes } from './options.js';
import { Progress } from './progress.js';
import { type Labels, readLabels } from './labels.js';
import { resolveWindow } from '../graph/window.js';

export { parseDuration, resolveWindow } from '../graph/window.js';

export interface GraphFlags {
  columns?: string;
  undirected?: boolean;
  unweighted?: boolean;
  keepSelfLoops?: boolean;
  window?: string;
  from?: string;
  to?: string;
  types?: string;
  typeWeights?: string;
  skipBad?: boolean;
  timeUnit?: 's' | 'ms';
  format?: IngestOptions['format'];
  dataset?: string;
  data?: string;
  quiet?: boolean;
  maxInputBytes?: string;
  maxRows?: string;
  maxLineBytes?: string;
  labels?: string;
}

export interface LoadedGraph {
  graph: BuiltGraph;
  columns: EdgeColumns;
  members: MemberDictionary;
  source: string;
  skipped: number;
  loadSeconds: number;
  buildSeconds: number;
  /** Member names from --labels (engine/cli/labels.ts), or null: tables then show ids only. */
  labels: Labels | null;
}

export function dataDir(flag?: string): string {
  return path.resolve(flag ?? process.env['SUPERNODE_DATA'] ?? 'data');
}

export function buildOptions(flags: GraphFlags, columns: EdgeColumns): Partial<BuildOptions> {
  const typeWeights = flags.typeWeights === undefined ? undefined : Object.fromEntries(flags.typeWeights.split(',').map((kv) => {
    const [k, v] = kv.split('=');
    const x = Number(v);
    if (!k || !Number.isFinite(x) || x < 0) {
      throw new SupernodeError('BAD_OPTION', `--type-weights entry "${kv}" is not name=number (e.g. forward=3,reply=2,mention=1)`);
    }
    return [k, x];
  }));
  return {
    directed: !flags.undirected,
    weighted: !flags.unweighted,
    keepSelfLoops: !!flags.keepSelfLoops,
    window: resolveWindow(flags, columns),
    ...(flags.types !== undefined && { types: flags.types.split(',').map((s) => s.trim()).filter(Boolean) }),
    ...(typeWeights !== undefined && { typeWeights }),
  };
}

/** Seconds since 1970 from 1980 to 2100: a "weight" column of such integers is a time column. */
const UNIX_SECONDS = [315_532_800, 4_102_444_800] as const;

/**
 * What the input suggests the flags missed: a file that says it is undirected read as directed,
 * and a numeric third column that looks like Unix timestamps read as weights (SNAP temporal files
 * are `source target unixts`; without --columns the third column is a weight).
 */
export function inputNotes(file: string, r: { declaredDirected: boolean | null; columns: EdgeColumns; hasTimestamp: boolean }, flags: GraphFlags): string[] {
  const notes: string[] = [];
  if (r.declaredDirected === false && !flags.undirected) {
    notes.push(`${path.basename(file)} says its edges are undirected; it is read as directed: pass --undirected to read it as it says`);
  }
  const w = r.columns.weight;
  if (w !== null && !r.hasTimestamp && w.length > 0) {
    const n = Math.min(w.length, 10_000);
    let times = true;
    for (let i = 0; i < n && times; i++) {
      const x = w[i]!;
      times = Number.isInteger(x) && ((x >= UNIX_SECONDS[0] && x <= UNIX_SECONDS[1]) || (x >= UNIX_SECONDS[0] * 1000 && x <= UNIX_SECONDS[1] * 1000));
    }
    if (times) {
      notes.push('the weight column looks like Unix timestamps (every value an integer date between 1980 and 2100) but is read as weights;'
        + ' pass --columns source,target,timestamp to read it as time');
    }
  }
  return notes;
}

/** The flags of a command whose own --format is its output: the input's is --input-format. */
export function inputFlags<T extends GraphFlags>(flags: Omit<T, 'format'> & { format?: string; inputFormat?: GraphFlags['format'] }): GraphFlags {
  const { format: _output, inputFormat, ...rest } = flags;
  return { ...(rest as GraphFlags), ...(inputFormat !== undefined && { format: inputFormat }) };
}

/** --max-input-bytes, --max-rows, --max-line-bytes as ingest limits (the rest default: engine/limits.ts). */
export function inputLimits(flags: GraphFlags): Partial<InputLimits> {
  return {
    ...(flags.maxInputBytes !== undefined && { maxBytes: limitValue(flags.maxInputBytes, '--max-input-bytes') }),
    ...(flags.maxRows !== undefined && { maxRows: limitValue(flags.maxRows, '--max-rows') }),
    ...(flags.maxLineBytes !== undefined && { maxLineBytes: limitValue(flags.maxLineBytes, '--max-line-bytes') }),
  };
}

export async function loadGraph(file: string | undefined, flags: GraphFlags): Promise<LoadedGraph> {
  const t0 = performance.now();
  // Labels first: a bad labels file fails before a long read.
  let labels = flags.labels !== undefined ? readLabels(flags.labels) : null;
  let columns: EdgeColumns, members: MemberDictionary, source: string, skipped = 0;
  let directedDefault = true;
  if (flags.dataset !== undefined) {
    const store = new DatasetStore(dataDir(flags.data));
    const loaded = await store.load(flags.dataset);
    ({ columns, members } = loaded);
    directedDefault = loaded.info.directed;
    source = `dataset ${flags.dataset} v${loaded.version}`;
    // Labels stored at ingest, unless --labels names others for this run.
    labels ??= await readDatasetLabels(store.dataDir, flags.dataset);
  } else {
    if (file === undefined) throw new SupernodeError('BAD_OPTION', 'give an edge file or --dataset NAME');
    if (!fs.existsSync(file)) throw new SupernodeError('INPUT_EMPTY', `${file}: no such file`, { file });
    const size = fs.statSync(file).size;
    const bar = new Progress(!flags.quiet && size > 16 * 2 ** 20, `reading ${path.basename(file)}`, 'bytes');
    try {
      const r = await ingestFile(file, {
        ...(flags.columns !== undefined && { columns: flags.columns.split(',').map((s) => s.trim()) }),
        ...(flags.skipBad !== undefined && { skipBad: flags.skipBad }),
        limits: inputLimits(flags),
        ...(flags.timeUnit !== undefined && { timeUnit: flags.timeUnit }),
        ...(flags.format !== undefined && { format: flags.format }),
        onProgress: (done, total) => bar.update(done, total ?? size),
      });
      ({ columns, members } = r);
      skipped = r.skipped;
      if (r.skipped > 0 && !flags.quiet) {
        process.stderr.write(`skipped ${r.skipped} bad rows; first: ${r.badExamples.map((b) => `${b.file}:${b.line}:${b.column}: ${b.reason}`).slice(0, 3).join('; ')}\n`);
      }
      if (!flags.quiet) pendingNotes.push(...inputNotes(file, r, flags));
    } finally {
      bar.stop();
    }
    source = file;
  }
  const t1 = performance.now();
  const opts = buildOptions({ ...flags, undirected: flags.undirected ?? !directedDefault }, columns);
  const graph = buildGraph(columns, opts);
  const t2 = performance.now();
  return { graph, columns, members, source, skipped, loadSeconds: (t1 - t0) / 1000, buildSeconds: (t2 - t1) / 1000, labels };
}
