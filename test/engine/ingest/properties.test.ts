/**
 * Property tests of every reader (fast-check, seeded): arbitrary bytes, cut into arbitrary chunks,
 * never crash, hang or throw anything but a catalogued SupernodeError (a plain TypeError or
 * RangeError from inside a reader would reach the API as INTERNAL); and valid edge rows written as
 * CSV, TSV, SNAP whitespace, NDJSON and Arrow come back exactly (ids, weights, timestamps), however
 * the bytes are chunked. Inputs are small, so each property runs in well under a second per 100 runs.
 */
import { Float64, Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, isSupernodeError } from '../../../engine/errors.js';
import { type IngestOptions, type IngestResult, ingestStream } from '../../../engine/ingest/index.js';
import { TIMESTAMP_MAX_MS, TIMESTAMP_MIN_MS } from '../../../engine/limits.js';

const SEED = 1313;
/** Small limits, so the limit paths are reached by small inputs too. */
const LIMITS = { maxLineBytes: 96, maxRows: 40, maxBytes: 4096 };

/** `bytes` cut at `cuts` (positions, any order), as a stream of chunks. */
function chunked(bytes: Uint8Array, cuts: readonly number[]): AsyncIterable<Uint8Array> {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  return (async function* () {
    let p = 0;
    for (const c of [...at, bytes.length]) {
      if (c > p) yield bytes.subarray(p, c);
      p = c;
    }
  })();
}

/** Resolves to the result, or to the error; fails the property on anything but a coded input error. */
async function outcome(bytes: Uint8Array, cuts: readonly number[], o: IngestOptions): Promise<IngestResult | Error> {
  try {
    return await ingestStream(chunked(bytes, cuts), 'prop', o);
  } catch (e) {
    if (!isSupernodeError(e) || !(e.code in ERROR_CATALOGUE) || e.code === 'INTERNAL' || e.code === 'WORKER_FAILED') throw e;
    return e;
  }
}

const cutsArb = fc.array(fc.nat({ max: 600 }), { maxLength: 8 });
/** Bytes biased towards what the text readers branch on. */
const textish = fc.array(fc.constantFrom(...'ab01 9,\t\n\r"#%.-e{}[]:x'.split('').map((c) => c.charCodeAt(0)), 0xff, 0xc3, 0xef, 0xbb, 0xbf), { maxLength: 400 })
  .map((a) => Uint8Array.from(a));
const anyBytes = fc.uint8Array({ maxLength: 400 });

describe('random bytes never crash a reader', () => {
  const readers: [string, IngestOptions][] = [
    ['delimited (sniffed)', { format: 'delimited' }],
    ['delimited comma', { format: 'delimited', delimiter: ',' }],
    ['delimited tab, timestamps', { format: 'delimited', delimiter: '\t', columns: ['source', 'target', 'timestamp'] }],
    ['ndjson', { format: 'ndjson' }],
    ['arrow', { format: 'arrow' }],
    ['auto', { format: 'auto' }],
    // H6's readers (engine/ingest/{parquet,gml,graphml,gexf}.ts) share the sink and its checks.
    ['parquet', { format: 'parquet' }],
    ['gml', { format: 'gml' }],
    ['graphml', { format: 'graphml' }],
    ['gexf', { format: 'gexf' }],
  ];
  it.each(readers)('%s: only coded errors, with and without skipBad and small limits', async (_, o) => {
    await fc.assert(fc.asyncProperty(fc.oneof(textish, anyBytes), cutsArb, fc.boolean(), fc.boolean(), async (bytes, cuts, skipBad, small) => {
      const r = await outcome(bytes, cuts, { ...o, skipBad, ...(small && { limits: LIMITS }) });
      if (!(r instanceof Error)) {
        expect(r.rows).toBeGreaterThan(0);
        if (small) expect(r.rows).toBeLessThanOrEqual(LIMITS.maxRows);
        const ts = r.columns.timestamp;
        if (ts !== null) for (const t of ts) expect(Number.isNaN(t) || (t >= TIMESTAMP_MIN_MS && t < TIMESTAMP_MAX_MS)).toBe(true);
      }
    }), { seed: SEED, numRuns: 150 });
  }, 60_000);

  it('Arrow: a valid file with bytes flipped or cut never crashes', async () => {
    const file = tableToIPC(new Table({
      source: vectorFromArray(['a', 'b', 'c'], new Utf8()), target: vectorFromArray(['b', 'c', 'a'], new Utf8()),
      weight: vectorFromArray([1, 2, 3], new Float64()),
    }), 'file');
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: file.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat({ max: file.length }), cutsArb,
      async (flips, keep, cuts) => {
        const b = file.slice(0, Math.max(1, keep));
        for (const [i, v] of flips) if (i < b.length) b[i] = v;
        await outcome(b, cuts, { format: 'arrow' });
      }), { seed: SEED, numRuns: 150 });
  }, 60_000);
});

/** Ids without the bytes the plain formats treat specially (delimiters, quotes, comment marks). */
const idArb = fc.stringMatching(/^[A-Za-z0-9_]{1,8}$/);
/** Ids that need CSV quoting: commas, quotes, inner spaces, a leading # or %. */
const quotedIdArb = fc.stringMatching(/^[#%]?[A-Za-z0-9_ ,"]{0,7}[A-Za-z0-9_,"]$/);
const rowArb = (id: fc.Arbitrary<string>) => fc.record({
  source: id, target: id,
  weight: fc.double({ min: 0, max: 1e12, noNaN: true, noDefaultInfinity: true }),
  // Whole seconds inside the window, so seconds x 1000 is exact.
  seconds: fc.integer({ min: Math.ceil(TIMESTAMP_MIN_MS / 1000), max: Math.floor(TIMESTAMP_MAX_MS / 1000) - 1 }),
});
type Row = { source: string; target: string; weight: number; seconds: number };

function expectRows(r: IngestResult, rows: readonly Row[], withTime = true): void {
  expect(r.rows).toBe(rows.length);
  rows.forEach((row, i) => {
    expect(r.members.idOf(r.columns.source[i]!)).toBe(row.source);
    expect(r.members.idOf(r.columns.target[i]!)).toBe(row.target);
    expect(r.columns.weight![i]).toBe(row.weight);
    if (withTime) expect(r.columns.timestamp![i]).toBe(row.seconds * 1000);
  });
}

const enc = (s: string) => new TextEncoder().encode(s);
const csvField = (s: string) => `"${s.replaceAll('"', '""')}"`;

describe('valid rows round-trip through every reader, however chunked', () => {
  const opts = { seed: SEED, numRuns: 100 };
  it('CSV with a header (plain ids)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(rowArb(idArb), { minLength: 1, maxLength: 30 }), cutsArb, async (rows, cuts) => {
      const text = `source,target,weight,timestamp\n${rows.map((r) => `${r.source},${r.target},${r.weight},${r.seconds}`).join('\n')}\n`;
      expectRows(await ingestStream(chunked(enc(text), cuts), 'p.csv', { format: 'delimited', delimiter: ',' }), rows);
    }), opts);
  });

  it('CSV with quoted ids (commas, quotes, spaces, leading #), CRLF line ends', async () => {
    await fc.assert(fc.asyncProperty(fc.array(rowArb(quotedIdArb), { minLength: 1, maxLength: 30 }), cutsArb, async (rows, cuts) => {
      const text = `source,target,weight,timestamp\r\n${rows.map((r) => `${csvField(r.source)},${csvField(r.target)},${r.weight},${r.seconds}`).join('\r\n')}`;
      expectRows(await ingestStream(chunked(enc(text), cuts), 'p.csv', { format: 'delimited', delimiter: ',' }), rows);
    }), opts);
  });

  it('TSV with ISO-8601 timestamps', async () => {
    await fc.assert(fc.asyncProperty(fc.array(rowArb(idArb), { minLength: 1, maxLength: 30 }), cutsArb, async (rows, cuts) => {
      const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
      const text = `src\tdst\tw\tts\n${rows.map((r) => `${r.source}\t${r.target}\t${r.weight}\t${iso(r.seconds)}`).join('\n')}\n`;
      expectRows(await ingestStream(chunked(enc(text), cuts), 'p.tsv', { format: 'delimited', delimiter: '\t' }), rows);
    }), opts);
  });

  it('SNAP whitespace, headerless numeric ids and weights', async () => {
    const snapRow = fc.record({ a: fc.nat({ max: 1e9 }), b: fc.nat({ max: 1e9 }), w: fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }) });
    await fc.assert(fc.asyncProperty(fc.array(snapRow, { minLength: 1, maxLength: 30 }), cutsArb, fc.constantFrom(' ', '\t', '  '), async (rows, cuts, sep) => {
      const text = `# comment\n${rows.map((r) => `${r.a}${sep}${r.b}${sep}${r.w}`).join('\n')}\n`;
      const r = await ingestStream(chunked(enc(text), cuts), 'p.txt', { format: 'delimited' });
      expectRows(r, rows.map((x) => ({ source: String(x.a), target: String(x.b), weight: x.w, seconds: 0 })), false);
    }), opts);
  });

  it('NDJSON, ids as strings or numbers', async () => {
    await fc.assert(fc.asyncProperty(fc.array(rowArb(fc.oneof(idArb, quotedIdArb)), { minLength: 1, maxLength: 30 }), cutsArb, async (rows, cuts) => {
      const text = rows.map((r) => JSON.stringify({ source: r.source, target: r.target, weight: r.weight, timestamp: r.seconds })).join('\n');
      expectRows(await ingestStream(chunked(enc(text), cuts), 'p.ndjson', { format: 'ndjson' }), rows);
    }), opts);
  });

  it('Arrow IPC stream and file', async () => {
    await fc.assert(fc.asyncProperty(fc.array(rowArb(fc.oneof(idArb, quotedIdArb)), { minLength: 1, maxLength: 30 }), cutsArb, fc.constantFrom('stream', 'file') as fc.Arbitrary<'stream' | 'file'>,
      async (rows, cuts, kind) => {
        const t = new Table({
          source: vectorFromArray(rows.map((r) => r.source), new Utf8()), target: vectorFromArray(rows.map((r) => r.target), new Utf8()),
          weight: vectorFromArray(rows.map((r) => r.weight), new Float64()), timestamp: vectorFromArray(rows.map((r) => r.seconds), new Float64()),
        });
        expectRows(await ingestStream(chunked(tableToIPC(t, kind), cuts), 'p.arrow', { format: 'arrow' }), rows);
      }), opts);
  });
});
