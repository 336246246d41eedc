// Parquet, GML, GraphML and GEXF readers: round trips (written, read back, the same graph),
// the shipped GML datasets against their edge lists, and located errors with --skip-bad.
import { gzipSync } from 'node:zlib';
import { MultiUndirectedGraph } from 'graphology';
import { write as writeGexf } from 'graphology-gexf';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { type IngestResult, ingestFile, ingestStream } from '../../../engine/ingest/index.js';
import { GRAPH_DOCUMENT_MAX_BYTES } from '../../../engine/ingest/records.js';
import { tmpFile } from './helpers.js';

/** Rows as `source target weight timestamp type` strings, in file order: the graph as read. */
function rows(r: IngestResult): string[] {
  const c = r.columns, out: string[] = [];
  for (let i = 0; i < c.source.length; i++) {
    out.push([r.members.idOf(c.source[i]!), r.members.idOf(c.target[i]!), c.weight?.[i] ?? 1,
      c.timestamp === null || Number.isNaN(c.timestamp[i]!) ? '' : new Date(c.timestamp[i]!).toISOString(),
      c.type === null || c.type[i]! < 0 ? '' : c.typeNames[c.type[i]!]].join(' '));
  }
  return out;
}

const EDGES = [
  { s: 'ana', t: 'bo', w: 2, ts: Date.UTC(2024, 0, 1, 10), type: 'reply' },
  { s: 'bo', t: 'ana', w: 1, ts: Date.UTC(2024, 0, 2, 11, 30), type: 'mention' },
  { s: 'cy', t: 'ana', w: 3.5, ts: Date.UTC(2024, 1, 3), type: 'reply' },
  { s: '007', t: '7', w: 1, ts: Date.UTC(2024, 2, 4), type: 'forward' },
];
async function* chunksOf(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b;
}

const expected = EDGES.map((e) => `${e.s} ${e.t} ${e.w} ${new Date(e.ts).toISOString()} ${e.type}`);

function graphmlOf(edges: typeof EDGES, isolated: string[] = []): string {
  const nodes = [...new Set(edges.flatMap((e) => [e.s, e.t])), ...isolated];
  return `<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="w" for="edge" attr.name="weight" attr.type="double"/>
  <key id="t" for="edge" attr.name="timestamp" attr.type="string"/>
  <key id="k" for="edge" attr.name="type" attr.type="string"/>
  <graph edgedefault="directed">
${nodes.map((n) => `    <node id="${n}"/>`).join('\n')}
${edges.map((e) => `    <edge source="${e.s}" target="${e.t}"><data key="w">${e.w}</data><data key="t">${new Date(e.ts).toISOString()}</data><data key="k">${e.type}</data></edge>`).join('\n')}
  </graph>
</graphml>
`;
}

describe('Parquet', () => {
  it('round trip: columns written with hyparquet-writer (several row groups) read back as the same rows', async () => {
    const buf = parquetWriteBuffer({
      columnData: [
        { name: 'source', data: EDGES.map((e) => e.s), type: 'STRING' },
        { name: 'target', data: EDGES.map((e) => e.t), type: 'STRING' },
        { name: 'weight', data: EDGES.map((e) => e.w), type: 'DOUBLE' },
        { name: 'timestamp', data: EDGES.map((e) => new Date(e.ts)), type: 'TIMESTAMP' },
        { name: 'type', data: EDGES.map((e) => e.type), type: 'STRING' },
      ],
      rowGroupSize: 3,
    });
    const f = tmpFile('edges.parquet', new Uint8Array(buf));
    const r = await ingestFile(f);
    expect(r.format).toBe('parquet');
    expect(rows(r)).toEqual(expected);
    // The same bytes as a stream (an upload, no name): sniffed by the PAR1 magic, held whole.
    const s = await ingestStream(chunksOf(new Uint8Array(buf)), 'upload');
    expect(rows(s)).toEqual(expected);
  });

  it('INT64 ids become decimal member ids; numeric timestamps are in the ingest unit', async () => {
    const buf = parquetWriteBuffer({
      columnData: [
        { name: 'src', data: BigInt64Array.from([1n, 2n, 2n]), type: 'INT64' },
        { name: 'dst', data: BigInt64Array.from([2n, 3n, 1n]), type: 'INT64' },
        { name: 'ts', data: [1_700_000_000, 1_700_000_060, 1_700_000_120], type: 'DOUBLE' },
      ],
    });
    const r = await ingestFile(tmpFile('ints.parquet', new Uint8Array(buf)));
    expect(rows(r)).toEqual(['1 2 1 2023-11-14T22:13:20.000Z ', '2 3 1 2023-11-14T22:14:20.000Z ', '2 1 1 2023-11-14T22:15:20.000Z ']);
  });

  it('a bad value names row:column; --skip-bad drops and counts it', async () => {
    const buf = parquetWriteBuffer({
      columnData: [
        { name: 'source', data: ['a', 'b', null], type: 'STRING', nullable: true },
        { name: 'target', data: ['b', 'c', 'a'], type: 'STRING' },
        { name: 'weight', data: [1, -2, 1], type: 'DOUBLE' },
      ],
    });
    const f = tmpFile('bad.parquet', new Uint8Array(buf));
    await expect(ingestFile(f)).rejects.toMatchObject({ code: 'INPUT_BAD_WEIGHT', line: 2, column: 3 });
    const r = await ingestFile(f, { skipBad: true });
    expect(r.rows).toBe(1);
    expect(r.badExamples.map((b) => [b.code, b.line, b.column])).toEqual([['INPUT_BAD_WEIGHT', 2, 3], ['INPUT_MISSING_FIELD', 3, 1]]);
  });

  it('no source/target columns, float ids, and a truncated file are coded errors', async () => {
    const noCols = parquetWriteBuffer({ columnData: [{ name: 'x', data: [1], type: 'DOUBLE' }] });
    await expect(ingestFile(tmpFile('nocols.parquet', new Uint8Array(noCols)))).rejects.toMatchObject({ code: 'INPUT_BAD_PARQUET' });
    const floats = parquetWriteBuffer({ columnData: [{ name: 'source', data: [1.5], type: 'DOUBLE' }, { name: 'target', data: [2.5], type: 'DOUBLE' }] });
    await expect(ingestFile(tmpFile('floats.parquet', new Uint8Array(floats)))).rejects.toMatchObject({ code: 'INPUT_BAD_ID' });
    const whole = new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'source', data: ['a'], type: 'STRING' }, { name: 'target', data: ['b'], type: 'STRING' }] }));
    await expect(ingestFile(tmpFile('cut.parquet', whole.subarray(0, whole.length - 9)))).rejects.toMatchObject({ code: 'INPUT_BAD_PARQUET' });
  });
});

describe('GraphML and GEXF', () => {
  it('GraphML round trip: every node (isolated too), weights, times and types; direction reported', async () => {
    const r = await ingestFile(tmpFile('g.graphml', graphmlOf(EDGES, ['lonely'])));
    expect(r.format).toBe('graphml');
    expect(rows(r)).toEqual(expected);
    expect(r.members.size).toBe(6);
    expect(r.members.indexOf('lonely')).toBe(5);
    expect(r.declaredDirected).toBe(true);
  });

  it('GEXF round trip through graphology-gexf write: weights and kinds, undirected default reported', async () => {
    const g = new MultiUndirectedGraph();
    for (const e of EDGES) {
      g.mergeNode(e.s);
      g.mergeNode(e.t);
      g.addEdge(e.s, e.t, { weight: e.w, kind: e.type, timestamp: new Date(e.ts).toISOString() });
    }
    const r = await ingestFile(tmpFile('g.gexf', writeGexf(g)));
    expect(r.format).toBe('gexf');
    expect(rows(r)).toEqual(expected);
    expect(r.declaredDirected).toBe(false);
  });

  it('GEXF dynamic edges: the `start` attribute is the time', async () => {
    const doc = `<?xml version="1.0"?><gexf xmlns="http://gexf.net/1.3" version="1.3"><graph mode="dynamic" defaultedgetype="directed" timeformat="dateTime">
<nodes><node id="a"/><node id="b"/></nodes>
<edges><edge id="0" source="a" target="b" start="2024-05-01T12:00:00Z"/></edges></graph></gexf>`;
    const r = await ingestFile(tmpFile('dyn.gexf', doc));
    expect(rows(r)).toEqual(['a b 1 2024-05-01T12:00:00.000Z ']);
  });

  it('malformed XML names line and column; an undeclared node and a bad weight are coded; gzip works', async () => {
    await expect(ingestFile(tmpFile('broken.graphml', '<graphml>\n<graph>\n<node id="a" x=>\n</graph></graphml>'))).rejects.toMatchObject({ code: 'INPUT_BAD_GRAPH', line: 3, column: 1 });
    const missing = graphmlOf(EDGES).replace('<node id="cy"/>', '');
    await expect(ingestFile(tmpFile('missing.graphml', missing))).rejects.toMatchObject({ code: 'INPUT_BAD_GRAPH' });
    const neg = graphmlOf(EDGES).replace('<data key="w">3.5</data>', '<data key="w">-3.5</data>');
    const line = neg.split('\n').findIndex((l) => l.includes('-3.5')) + 1;
    await expect(ingestFile(tmpFile('neg.graphml', neg))).rejects.toMatchObject({ code: 'INPUT_BAD_WEIGHT', line });
    const r = await ingestFile(tmpFile('neg2.graphml', neg), { skipBad: true });
    expect(r.rows).toBe(3);
    const z = await ingestFile(tmpFile('g.graphml.gz', gzipSync(graphmlOf(EDGES))));
    expect(rows(z)).toEqual(expected);
  });

  it('a document past the cap is INPUT_LIMIT, not an out-of-memory', async () => {
    const big = Buffer.alloc(GRAPH_DOCUMENT_MAX_BYTES + 1, 0x20);
    big.write('<graphml><graph>');
    await expect(ingestStream(chunksOf(big), 'big.graphml', { format: 'graphml' })).rejects.toMatchObject({ code: 'INPUT_LIMIT' });
  });
});

describe('GML (the shipped Newman files)', () => {
  it('lesmis.gml reads as lesmis_edges.txt: the same members (labels) and weighted ties', async () => {
    const g = await ingestFile('datasets/les-miserables/lesmis.gml.gz');
    const t = await ingestFile('datasets/les-miserables/lesmis_edges.txt.gz');
    expect(g.format).toBe('gml');
    expect(g.declaredDirected).toBe(false);
    const key = (r: IngestResult) => rows(r).map((x) => x.split(' ').slice(0, 3)).map(([a, b, w]) => (a! < b! ? `${a} ${b} ${w}` : `${b} ${a} ${w}`)).sort();
    expect(key(g)).toEqual(key(t));
    expect(g.members.size).toBe(77);
  });

  it('karate.gml: 34 members (ids 1..34), the 78 edges of the 0-based edge list shifted by one', async () => {
    const g = await ingestFile('datasets/karate-club/karate.gml.gz');
    const t = await ingestFile('datasets/karate-club/karate_club_edges.txt.gz');
    expect(g.members.size).toBe(34);
    const pairs = (r: IngestResult, shift: number) => rows(r).map((x) => x.split(' ').slice(0, 2).map((v) => Number(v) + shift).sort((a, b) => a - b).join('-')).sort();
    expect(pairs(g, 0)).toEqual(pairs(t, 1));
  });

  it('football.gml: 115 teams, 616 edge records (613 distinct ties, as published; the file repeats 3)', async () => {
    const g = await ingestFile('datasets/football/football.gml.gz');
    expect(g.members.size).toBe(115);
    expect(g.rows).toBe(616);
    const ties = new Set(rows(g).map((x) => x.split(' ').slice(0, 2).sort().join('|')));
    expect(ties.size).toBe(613);
  });

  it('syntax errors and undeclared nodes name line and column; --skip-bad skips the edge', async () => {
    await expect(ingestFile(tmpFile('u.gml', 'graph [\n  node [ id 1 ]\n  edge [ source 1 target "x ]\n]\n'))).rejects.toMatchObject({ code: 'INPUT_BAD_GRAPH', line: 3, column: 26 });
    const doc = 'graph [\n  node [ id 1 ]\n  node [ id 2 ]\n  edge [ source 1 target 2 ]\n  edge [ source 1 target 9 ]\n]\n';
    await expect(ingestFile(tmpFile('v.gml', doc))).rejects.toMatchObject({ code: 'INPUT_BAD_GRAPH', line: 5, column: 19 });
    const r = await ingestFile(tmpFile('w.gml', doc), { skipBad: true });
    expect(r.rows).toBe(1);
    expect(r.skipped).toBe(1);
  });
});
