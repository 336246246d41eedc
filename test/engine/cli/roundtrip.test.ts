// Round trips through the command line: a dataset exported by `supernode export` as GraphML or
// GEXF, and a ranking written as Parquet, read back by the engine give the same graph / rows.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type IngestResult, ingestFile } from '../../../engine/ingest/index.js';
import { ROOT } from '../../helpers/reference.js';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/helpers/run-cli.ts'), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Undirected weighted ties `a|b|w` (a < b), duplicates merged by summing, sorted. */
function ties(r: IngestResult): string[] {
  const m = new Map<string, number>();
  const c = r.columns;
  for (let i = 0; i < c.source.length; i++) {
    const a = r.members.idOf(c.source[i]!), b = r.members.idOf(c.target[i]!);
    const k = a < b ? `${a}|${b}` : `${b}|${a}`;
    m.set(k, (m.get(k) ?? 0) + (c.weight?.[i] ?? 1));
  }
  return [...m].map(([k, w]) => `${k}|${w}`).sort();
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-roundtrip-'));

describe('round trips', () => {
  for (const [name, file] of [['karate', 'datasets/karate-club/karate_club_edges.txt.gz'], ['lesmis', 'datasets/les-miserables/lesmis_edges.txt.gz']] as const) {
    for (const format of ['graphml', 'gexf'] as const) {
      it(`${name} exported as ${format} reads back as the same members and weighted ties`, async () => {
        const out = path.join(dir, `${name}.${format}`);
        const r = cli('export', file, '--undirected', '--output', out);
        expect(r.code, r.err).toBe(0);
        const back = await ingestFile(out);
        const orig = await ingestFile(file);
        expect(back.format).toBe(format);
        expect(back.declaredDirected).toBe(false);
        expect(new Set(Array.from({ length: back.members.size }, (_, i) => back.members.idOf(i))))
          .toEqual(new Set(Array.from({ length: orig.members.size }, (_, i) => orig.members.idOf(i))));
        expect(ties(back)).toEqual(ties(orig));
      });
    }
  }

  it('the exported GraphML ranks like the source file (CLI on both)', () => {
    const out = path.join(dir, 'karate-rank.graphml');
    expect(cli('export', 'datasets/karate-club/karate_club_edges.txt.gz', '--undirected', '--output', out).code).toBe(0);
    const a = JSON.parse(cli('compute', 'pagerank', 'datasets/karate-club/karate_club_edges.txt.gz', '--undirected', '--json').out);
    const b = JSON.parse(cli('compute', 'pagerank', out, '--undirected', '--json').out);
    for (const id of Object.keys(a.values)) expect(b.values[id]).toBeCloseTo(a.values[id], 12);
  });
});
