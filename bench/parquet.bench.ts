/**
 * Parquet readers against the Arrow IPC path, on the same seeded edge table, side by side in one
 * run: the choice of engine/ingest/parquet.ts's decoder rests on this.
 *
 * Cases (each reads the whole table into the engine's edge columns and member dictionary):
 * - `arrow-ipc`: the table as an Arrow IPC file, through ingestFile (the baseline, the path the
 *   dataset store and Arrow uploads use);
 * - `hyparquet`: the table as Parquet (hyparquet-writer, snappy, row groups of 131,072 rows),
 *   through ingestFile, i.e. engine/ingest/parquet.ts: hyparquet, row group by row group, random
 *   access on the file;
 * - `parquet-wasm`: the same Parquet file decoded by parquet-wasm (Rust arrow-rs in WASM) one row
 *   group at a time, each handed over as an Arrow IPC stream and read by the Arrow path into one
 *   shared dictionary: what a parquet-wasm reader would do.
 *
 * Table: ROWS rows (default 1,000,000; `npx tsx bench/parquet.bench.ts [rows]`) from mulberry32(42):
 * source/target string ids `u<n>` over 200,000 members (skewed, squared-uniform), a DOUBLE weight
 * 1..5, a millisecond TIMESTAMP over a year, a `type` string of 3 values: the shape of a warehouse
 * export. Each case runs TRIALS times after one warm-up; the best wall time counts, with the CPU
 * time of that run (the 2 shared cores make wall time noisy). Results: bench/results/parquet.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Dictionary, Float64, Int32, Table, TimestampMillisecond, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { MemberDictionary, ingestFile, ingestStream } from '../engine/ingest/index.js';
import { log, writeResults } from './harness.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const MEMBERS = 200_000;
const ROW_GROUP = 131_072;
const TRIALS = 3;
const TYPES = ['reply', 'mention', 'forward'];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function table(): { source: string[]; target: string[]; weight: Float64Array; ts: Date[]; type: string[] } {
  const rng = mulberry32(42);
  const source: string[] = [], target: string[] = [], ts: Date[] = [], type: string[] = [];
  const weight = new Float64Array(ROWS);
  const t0 = Date.UTC(2024, 0, 1);
  for (let i = 0; i < ROWS; i++) {
    source.push(`u${Math.floor(rng() * rng() * MEMBERS)}`);
    target.push(`u${Math.floor(rng() * MEMBERS)}`);
    weight[i] = 1 + Math.floor(rng() * 5);
    ts.push(new Date(t0 + Math.floor(rng() * 365 * 86_400_000)));
    type.push(TYPES[Math.floor(rng() * 3)]!);
  }
  return { source, target, weight, ts, type };
}

async function time(name: string, f: () => Promise<number>): Promise<Record<string, unknown>> {
  await f(); // warm-up
  let best = Infinity, cpu = 0, rows = 0;
  for (let k = 0; k < TRIALS; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    rows = await f();
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    if (wall < best) { best = wall; cpu = (c.user + c.system) / 1e6; }
  }
  log(`${name.padEnd(14)} ${best.toFixed(3)} s wall, ${cpu.toFixed(3)} s cpu, ${(rows / best / 1e6).toFixed(2)} M rows/s`);
  return { name, rows, seconds: best, cpuSeconds: cpu, rowsPerSecond: Math.round(rows / best) };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-parquet-bench-'));
  const t = table();
  const arrowFile = path.join(dir, 'edges.arrow');
  const at = new Table({
    source: vectorFromArray(t.source, new Utf8()), target: vectorFromArray(t.target, new Utf8()),
    weight: vectorFromArray(Array.from(t.weight), new Float64()), timestamp: vectorFromArray(t.ts, new TimestampMillisecond()),
    type: vectorFromArray(t.type, new Dictionary(new Utf8(), new Int32())),
  });
  fs.writeFileSync(arrowFile, tableToIPC(at, 'file'));
  const pqFile = path.join(dir, 'edges.parquet');
  fs.writeFileSync(pqFile, new Uint8Array(parquetWriteBuffer({
    columnData: [
      { name: 'source', data: t.source, type: 'STRING' }, { name: 'target', data: t.target, type: 'STRING' },
      { name: 'weight', data: t.weight, type: 'DOUBLE' }, { name: 'timestamp', data: t.ts, type: 'TIMESTAMP' },
      { name: 'type', data: t.type, type: 'STRING' },
    ],
    rowGroupSize: ROW_GROUP,
  })));
  const sizes = { arrowBytes: fs.statSync(arrowFile).size, parquetBytes: fs.statSync(pqFile).size };
  log(`${ROWS} rows; Arrow IPC ${(sizes.arrowBytes / 2 ** 20).toFixed(1)} MiB, Parquet ${(sizes.parquetBytes / 2 ** 20).toFixed(1)} MiB`);

  const wasm = await import('parquet-wasm');
  const cases = [
    await time('arrow-ipc', async () => (await ingestFile(arrowFile)).rows),
    await time('hyparquet', async () => (await ingestFile(pqFile)).rows),
    await time('parquet-wasm', async () => {
      const bytes = new Uint8Array(fs.readFileSync(pqFile));
      const groups = Math.ceil(ROWS / ROW_GROUP);
      const dictionary = new MemberDictionary();
      let rows = 0;
      for (let g = 0; g < groups; g++) {
        const ipc = wasm.readParquet(bytes, { rowGroups: [g] }).intoIPCStream();
        rows += (await ingestStream((async function* () { yield ipc; })(), 'group.arrows', { format: 'arrow', dictionary })).rows;
      }
      return rows;
    }),
  ];
  const base = cases[0]!['seconds'] as number;
  for (const c of cases) c['vsArrow'] = Math.round(((c['seconds'] as number) / base) * 100) / 100;
  log(cases.map((c) => `${c['name']}: ${c['vsArrow']}x the Arrow time`).join('; '));
  const file = writeResults('parquet', cases.map((c) => ({ ...c, name: c['name'] as string })), {
    rows: ROWS, members: MEMBERS, rowGroup: ROW_GROUP, trials: TRIALS, ...sizes,
    table: 'seeded mulberry32(42): string ids u<n> over 200,000 members, DOUBLE weight, ms TIMESTAMP, 3-value type',
  });
  log(`wrote ${file}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
