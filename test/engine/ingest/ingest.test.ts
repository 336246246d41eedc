import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Readable } from 'node:stream';
import {
  Field, Int32, Int64, RecordBatch, Schema, Struct, Table, TimestampSecond, Utf8, makeData, tableFromArrays,
  tableFromIPC, tableToIPC, vectorFromArray,
} from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../engine/graph/builder.js';
import { MemberDictionary } from '../../../engine/ingest/dictionary.js';
import { type IngestResult, ingestFile, ingestStream, toArrowTable } from '../../../engine/ingest/index.js';
import { CASES, ROOT, loadCase } from '../../helpers/reference.js';
import { tmpFile } from './helpers.js';

/** Rows as (sourceId, targetId, weight?, timestamp?, type?) tuples, for comparisons by id. */
function rowsOf(r: IngestResult): (string | number | null)[][] {
  const c = r.columns;
  const out: (string | number | null)[][] = [];
  for (let i = 0; i < r.rows; i++) {
    const row: (string | number | null)[] = [r.members.idOf(c.source[i]!), r.members.idOf(c.target[i]!)];
    if (c.weight) row.push(c.weight[i]!);
    if (c.timestamp) row.push(Number.isNaN(c.timestamp[i]!) ? null : c.timestamp[i]!);
    if (c.type) row.push(c.type[i]! < 0 ? null : c.typeNames[c.type[i]!]!);
    out.push(row);
  }
  return out;
}

async function* chunksOf(buf: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let p = 0; p < buf.length; p += size) yield buf.subarray(p, Math.min(buf.length, p + size));
}

describe('MemberDictionary', () => {
  it('keeps ids opaque: "007" and "7" differ, __proto__ and constructor are ordinary ids', () => {
    const d = new MemberDictionary();
    const ids = ['7', '007', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '0', '00', '7.0', '-7', ' 7', '1e3', '999999999999999', '1000000000000000'];
    const idx = ids.map((s) => d.intern(s));
    expect(new Set(idx).size).toBe(ids.length);
    expect(d.size).toBe(ids.length);
    ids.forEach((s, k) => { expect(d.indexOf(s)).toBe(idx[k]); expect(d.idOf(idx[k]!)).toBe(s); });
    expect(d.ids()).toEqual(ids);
    expect(d.indexOf('8')).toBe(-1);
    expect(d.indexOf('valueOf')).toBe(-1);
  });

  it('numeric fast path and string path are the same dictionary', () => {
    const d = new MemberDictionary();
    expect(d.internNumber(12)).toBe(0);
    expect(d.intern('12')).toBe(0);
    expect(d.intern('5000000000')).toBe(1);
    expect(d.internNumber(5000000000)).toBe(1);
    // An id far beyond the direct table goes to the map; a later table growth must still find it.
    expect(d.internNumber(3_000_000)).toBe(2);
    for (let i = 0; i < 300_000; i++) d.internNumber(i + 100);
    expect(d.internNumber(3_000_000)).toBe(2);
    expect(d.indexOf('3000000')).toBe(2);
  });

  it('appends to an initial id list without moving existing indices', () => {
    const d = new MemberDictionary(['b', '3', 'a']);
    expect(d.intern('a')).toBe(2);
    expect(d.intern('c')).toBe(3);
    expect(d.ids()).toEqual(['b', '3', 'a', 'c']);
    expect(() => d.idOf(9)).toThrow(/no member/);
  });

  it('agrees with a plain Map on random id streams (property)', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.nat(2000).map(String), fc.string({ maxLength: 4 }), fc.constantFrom('__proto__', '007', '0', '00'))), (ids) => {
      const d = new MemberDictionary();
      const m = new Map<string, number>();
      for (const id of ids) {
        if (!m.has(id)) m.set(id, m.size);
        if (d.intern(id) !== m.get(id)) return false;
      }
      return d.ids().every((id, k) => m.get(id) === k);
    }));
  });
});

describe('delimited text', () => {
  it('reads SNAP whitespace files: comments, tabs/spaces, headerless third column = weight, CRLF, no final newline', async () => {
    const p = tmpFile('snap.txt', '# Directed graph\n% also a comment\n\n1\t2\t3\r\n2 3  0.5\r\n   3 1 1e2\r\n  # indented comment\n1 3 2');
    const r = await ingestFile(p);
    expect(r.format).toBe('delimited');
    expect(r.hasWeight).toBe(true);
    expect(rowsOf(r)).toEqual([['1', '2', 3], ['2', '3', 0.5], ['3', '1', 100], ['1', '3', 2]]);
    expect(r.columns.nodeCount).toBe(3);
  });

  it('recognises a header row by its column names and does not read it as an edge', async () => {
    const p = tmpFile('header.csv', 'Target,Source,Kind,TS\nb,a,reply,1700000000\nc,a,,\n');
    const r = await ingestFile(p);
    expect(rowsOf(r)).toEqual([['a', 'b', 1700000000000, 'reply'], ['a', 'c', null, null]]);
    expect(r.columns.typeNames).toEqual(['reply']);
    for (const [h, row] of [['src dst w', 'x y 2'], ['from,to,count', 'x,y,2'], ['node_1 node_2 weight', 'x y 2'], ['u\tv\tweight', 'x\ty\t2']] as const) {
      const q = tmpFile(`alias-${h.length}.txt`, `${h}\n${row}\n`);
      expect(rowsOf(await ingestFile(q))).toEqual([['x', 'y', 2]]);
    }
  });

  it('uses the columns option for headerless files (third column as a timestamp), and skips a header then', async () => {
    const p = tmpFile('cols.txt', '1 2 1082040961\n3 4 1082155839\n');
    const r = await ingestFile(p, { columns: ['source', 'target', 'timestamp'] });
    expect(r.hasWeight).toBe(false);
    expect(rowsOf(r)).toEqual([['1', '2', 1082040961000], ['3', '4', 1082155839000]]);
    const ms = await ingestFile(p, { columns: ['src', 'dst', 'time'], timeUnit: 'ms' });
    expect(ms.columns.timestamp![0]).toBe(1082040961);
    const h = tmpFile('cols-h.txt', 'source target timestamp\n1 2 3\n');
    expect(rowsOf(await ingestFile(h, { columns: ['source', 'target', 'timestamp'] }))).toEqual([['1', '2', 3000]]);
    const skip = tmpFile('cols-skip.csv', 'a,junk,b\n');
    expect(rowsOf(await ingestFile(skip, { columns: ['source', '-', 'target'] }))).toEqual([['a', 'b']]);
    await expect(ingestFile(p, { columns: ['source', 'nope'] })).rejects.toMatchObject({ code: 'INPUT_BAD_HEADER' });
    await expect(ingestFile(p, { columns: ['source', 'weight'] })).rejects.toMatchObject({ code: 'INPUT_BAD_HEADER' });
  });

  it('parses ISO-8601 timestamps (no offset = UTC) and numeric ones', async () => {
    const p = tmpFile('iso.csv', 'source,target,timestamp\na,b,2024-01-02\na,b,2024-01-02T03:04:05Z\na,b,2024-01-02 03:04:05.5+01:00\na,b,2024-01-02T03:04\na,b,1.5\n');
    const r = await ingestFile(p);
    expect(Array.from(r.columns.timestamp!)).toEqual([
      Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 2, 3, 4, 5), Date.UTC(2024, 0, 2, 2, 4, 5, 500), Date.UTC(2024, 0, 2, 3, 4), 1500,
    ]);
  });

  it('handles quoted CSV fields: delimiters, "" escapes, quotes in whitespace mode are literal', async () => {
    const p = tmpFile('quoted.csv', 'source,target,weight\n"a,b","say ""hi""",1\n "x" , y ,2\n"007",7,3\n');
    const r = await ingestFile(p);
    expect(rowsOf(r)).toEqual([['a,b', 'say "hi"', 1], ['x', 'y', 2], ['007', '7', 3]]);
    expect(r.members.indexOf('007')).not.toBe(r.members.indexOf('7'));
    const w = tmpFile('quotes.txt', '"a" b\n');
    expect(rowsOf(await ingestFile(w))).toEqual([['"a"', 'b']]);
  });

  it('keeps unicode ids, object-key-like ids and leading-zero ids apart', async () => {
    const p = tmpFile('ids.tsv', 'source\ttarget\n__proto__\tconstructor\nßöç 中文\t😀\n007\t7\n7\t007\n0\t00\n');
    const r = await ingestFile(p);
    expect(rowsOf(r)).toEqual([['__proto__', 'constructor'], ['ßöç 中文', '😀'], ['007', '7'], ['7', '007'], ['0', '00']]);
    expect(r.members.size).toBe(8);
  });

  it('honours an explicit delimiter and sniffs commas in .txt', async () => {
    const p = tmpFile('sniff.txt', 'a,b,2\nc,d,3\n');
    expect(rowsOf(await ingestFile(p))).toEqual([['a', 'b', 2], ['c', 'd', 3]]);
    const t = tmpFile('tab.txt', 'a b\tc d\n');
    expect(rowsOf(await ingestFile(t, { delimiter: '\t' }))).toEqual([['a b', 'c d']]);
  });

  it('gives the same result however the bytes are chunked (lines split across chunks)', async () => {
    const text = '# c\nsource,target,weight\n"a,1",b,1.25\r\nc,"d ""q""",2\nccc,d,3\n1,2,4';
    const whole = await ingestStream(Readable.from([Buffer.from(text)]), 'x.csv');
    for (const size of [1, 2, 3, 7]) {
      const r = await ingestStream(chunksOf(Buffer.from(text), size), 'x.csv');
      expect(rowsOf(r)).toEqual(rowsOf(whole));
    }
  });

  it('reads gzip by magic bytes, whatever the name', async () => {
    const text = '1 2\n2 3\n';
    const gz = zlib.gzipSync(Buffer.from(text));
    const a = await ingestFile(tmpFile('g.txt.gz', gz));
    const b = await ingestStream(chunksOf(gz, 5), 'upload');
    expect(rowsOf(a)).toEqual([['1', '2'], ['2', '3']]);
    expect(rowsOf(b)).toEqual(rowsOf(a));
    expect(a.bytes).toBe(gz.length);
    await expect(ingestStream(chunksOf(Buffer.concat([gz.subarray(0, 12), Buffer.from('garbage!')]), 4), 'x.gz'))
      .rejects.toMatchObject({ code: 'INPUT_BAD_GZIP' });
  });

  it('reports progress and rejects missing files and unsupported formats', async () => {
    const p = tmpFile('prog.txt', '1 2\n'.repeat(1000));
    const seen: [number, number | null][] = [];
    await ingestFile(p, { onProgress: (a, b) => seen.push([a, b]) });
    expect(seen.at(-1)).toEqual([4000, 4000]);
    await expect(ingestFile(path.join(path.dirname(p), 'nope.txt'))).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' });
    await expect(ingestFile(tmpFile('g.xlsx', 'PK'))).rejects.toMatchObject({ code: 'INPUT_UNSUPPORTED_FORMAT' });
  });

  it('SNAP fast path and general path agree with a naive split parser (property)', async () => {
    const id = fc.oneof(fc.nat(3_000_000).map(String), fc.constantFrom('0', '007', '00', 'a', 'ß', '999999999999999', '1234567890123456'));
    const w = fc.oneof(fc.nat(100).map(String), fc.constantFrom('0.5', '1.25', '3.', '.5', '1e2', '0.1'));
    const gap = fc.constantFrom(' ', '\t', '  ', ' \t');
    const line = (k: number) => fc.tuple(id, gap, id, gap, w, fc.constantFrom('', '\r', ' ', '\t\r'))
      .map(([a, g1, b, g2, x, end]) => (k === 3 ? `${a}${g1}${b}${g2}${x}${end}` : `${a}${g1}${b}${end}`));
    await fc.assert(fc.asyncProperty(fc.constantFrom(2, 3).chain((k) => fc.array(line(k), { minLength: 1, maxLength: 40 })), async (lines) => {
      const text = `# c\n${lines.join('\n')}\n`;
      const want = lines.map((l) => {
        const p = l.trim().split(/[ \t\r]+/);
        return p.length === 3 ? [p[0], p[1], Number(p[2])] : [p[0], p[1]];
      });
      const r = await ingestStream(chunksOf(Buffer.from(text), 64), 'p.txt');
      expect(rowsOf(r)).toEqual(want);
    }), { numRuns: 100 });
  });

  it('round-trips random quoted CSV (property): ids with commas, quotes, spaces, unicode', async () => {
    const id = fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom('a', 'Z', '7', '0', ',', '"', ' ', 'é', '中', '#', '%') })
      .filter((s) => s.trim() === s && s.trim() !== '');
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(id, id, fc.nat(1000)), { minLength: 1, maxLength: 30 }), async (rows) => {
      const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
      const text = `source,target,weight\n${rows.map(([a, b, w]) => `${q(a)},${q(b)},${w / 4}`).join('\n')}\n`;
      const r = await ingestStream(chunksOf(Buffer.from(text), 13), 'p.csv');
      expect(rowsOf(r)).toEqual(rows.map(([a, b, w]) => [a, b, w / 4]));
    }), { numRuns: 60 });
  });
});

describe('NDJSON', () => {
  it('reads records with aliases, number or string ids, optional weight/time/type', async () => {
    const p = tmpFile('e.ndjson', [
      '{"from":"a","to":"b"}',
      '',
      '{"src":7,"dst":"007","weight":2.5,"ts":"2024-01-01T00:00:00Z","kind":"reply","extra":{"x":1}}',
      '{"source":"__proto__","target":"constructor","w":"3","time":1700000000,"type":null}',
    ].join('\n'));
    const r = await ingestFile(p);
    expect(r.format).toBe('ndjson');
    expect(rowsOf(r)).toEqual([
      ['a', 'b', 1, null, null],
      ['7', '007', 2.5, Date.UTC(2024, 0, 1), 'reply'],
      ['__proto__', 'constructor', 3, 1700000000000, null],
    ]);
  });

  it('is sniffed from content when the name says nothing', async () => {
    const r = await ingestStream(Readable.from([Buffer.from('{"source":1,"target":2}\n')]), 'upload');
    expect(r.format).toBe('ndjson');
    expect(rowsOf(r)).toEqual([['1', '2']]);
  });
});

describe('Arrow IPC', () => {
  function table(): Table {
    return new Table({
      src: vectorFromArray(['a', '__proto__', '007'], new Utf8()),
      dst: vectorFromArray(['b', 'c', '7'], new Utf8()),
      weight: vectorFromArray(Float64Array.of(1, 2.5, 3)),
    });
  }

  it.each(['file', 'stream'] as const)('reads the %s format with Utf8 ids (also gzipped, also sniffed)', async (kind) => {
    const bytes = tableToIPC(table(), kind);
    const want = [['a', 'b', 1], ['__proto__', 'c', 2.5], ['007', '7', 3]];
    const r = await ingestFile(tmpFile(`t-${kind}.arrow`, bytes));
    expect(r.format).toBe('arrow');
    expect(rowsOf(r)).toEqual(want);
    expect(rowsOf(await ingestFile(tmpFile(`t-${kind}.arrows.gz`, zlib.gzipSync(bytes))))).toEqual(want);
    expect(rowsOf(await ingestStream(chunksOf(bytes, 100), 'blob'))).toEqual(want);
  });

  it('converts integer ids to strings and reads Timestamp columns as ms', async () => {
    const n = 3;
    const fields = [new Field('source', new Int64(), false), new Field('target', new Int32(), false), new Field('timestamp', new TimestampSecond(), true)];
    const children = [
      makeData({ type: new Int64(), length: n, nullCount: 0, data: BigInt64Array.of(1n, 5000000000n, 7n) }),
      makeData({ type: new Int32(), length: n, nullCount: 0, data: Int32Array.of(2, 3, 0) }),
      makeData({ type: new TimestampSecond(), length: n, nullCount: 1, nullBitmap: Uint8Array.of(0b011), data: BigInt64Array.of(10n, 20n, 0n) }),
    ];
    const t = new Table([new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: n, nullCount: 0, children }))]);
    const r = await ingestFile(tmpFile('ints.arrow', tableToIPC(t, 'stream')));
    expect(rowsOf(r)).toEqual([['1', '2', 10000], ['5000000000', '3', 20000], ['7', '0', null]]);
  });

  it('rejects Arrow input without source/target columns, and bad weights by row', async () => {
    const t = tableFromArrays({ a: Int32Array.of(1), b: Int32Array.of(2) });
    await expect(ingestFile(tmpFile('nocols.arrow', tableToIPC(t)))).rejects.toMatchObject({ code: 'INPUT_BAD_ARROW' });
    const w = tableFromArrays({ source: Int32Array.of(1, 2), target: Int32Array.of(2, 3), weight: Float64Array.of(1, -1) });
    await expect(ingestFile(tmpFile('negw.arrow', tableToIPC(w)))).rejects.toMatchObject({ code: 'INPUT_BAD_WEIGHT', line: 2, column: 3 });
    await expect(ingestFile(tmpFile('junk.arrow', Buffer.from('ARROW1 not really')))).rejects.toMatchObject({ code: 'INPUT_BAD_ARROW' });
  });

  it('toArrowTable writes the documented schema and survives IPC', async () => {
    const p = tmpFile('typed.csv', 'source,target,weight,timestamp,type\na,b,1.5,2024-01-01,reply\nb,c,2,,\nc,a,3,1700000000,mention\n');
    const r = await ingestFile(p);
    const t = tableFromIPC(tableToIPC(await toArrowTable(r), 'file'));
    expect(t.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'source:Int32', 'target:Int32', 'weight:Float64', 'timestamp:Timestamp<MILLISECOND>', 'type:Dictionary<Int32, Utf8>',
    ]);
    expect([...t.getChild('source')!]).toEqual([...r.columns.source]);
    expect([...t.getChild('timestamp')!]).toEqual([Date.UTC(2024, 0, 1), null, 1700000000000]);
    expect([...t.getChild('type')!]).toEqual(['reply', null, 'mention']);
    expect(Float64Array.from(t.getChild('weight')!.toArray() as Float64Array)).toEqual(r.columns.weight);
  });
});

describe('committed datasets', () => {
  const counts: Record<string, { nodes: number; rows: number }> = {
    karate: { nodes: 34, rows: 78 }, lesmis: { nodes: 77, rows: 254 }, football: { nodes: 115, rows: 616 },
    'email-Eu-core': { nodes: 1005, rows: 25571 }, CollegeMsg: { nodes: 1899, rows: 59835 },
    'ego-Facebook': { nodes: 4039, rows: 88234 }, 'wiki-Vote': { nodes: 7115, rows: 103689 },
  };

  it.each(CASES.map((c) => [c.name, c] as const))('%s: PROVENANCE counts, and per-member degrees equal the naive loader', async (_, c) => {
    const colIdx = c.flags.indexOf('--columns');
    const columns = colIdx >= 0 ? c.flags[colIdx + 1]!.split(',') : undefined;
    const r = await ingestFile(path.join(ROOT, 'datasets', c.file), columns ? { columns } : {});
    expect({ nodes: r.members.size, rows: r.rows }).toEqual(counts[c.name]);
    const directed = !c.flags.includes('--undirected'), weighted = !c.flags.includes('--unweighted');
    const g = buildGraph(r.columns, { directed, weighted });
    const ref = loadCase(c);
    expect(g.n).toBe(ref.graph.n);
    expect(g.m).toBe(ref.graph.m);
    for (let i = 0; i < ref.ids.length; i++) {
      const j = r.members.indexOf(ref.ids[i]!);
      expect(j).toBeGreaterThanOrEqual(0);
      const deg = (x: typeof g, u: number) => [x.outOffsets[u + 1]! - x.outOffsets[u]!, x.inOffsets[u + 1]! - x.inOffsets[u]!];
      if (deg(g, j).join() !== deg(ref.graph, i).join()) expect([ref.ids[i], deg(g, j)]).toEqual([ref.ids[i], deg(ref.graph, i)]);
    }
    if (c.name === 'CollegeMsg') {
      expect(Math.min(...r.columns.timestamp!)).toBe(1082040961000);
      expect(Math.max(...r.columns.timestamp!)).toBe(1098777142000);
    }
    if (c.third === 'weight') {
      const total = r.columns.weight!.reduce((a, b) => a + b, 0);
      expect(total).toBe(c.name === 'karate' ? 231 : 820);
    }
  });

  it('all committed edge files are in PROVENANCE.md', () => {
    const prov = fs.readFileSync(path.join(ROOT, 'datasets/PROVENANCE.md'), 'utf8');
    for (const c of CASES) expect(prov).toContain(path.basename(c.file));
  });
});
