/**
 * `supernode export` in a child process on email-Eu-core (SNAP; datasets/PROVENANCE.md): the ego
 * network and the top-N subgraph read by NetworkX hold exactly the members and ties NetworkX finds
 * in the source file, with the members' measures as node attributes; selectors exclude each other
 * with the one-line error form.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UndirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/reference.js';
import { compareWithNetworkx, hasNetworkx } from '../../helpers/networkx.js';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/helpers/run-cli.ts'), ...args], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, SUPERNODE_DATA: path.join(os.tmpdir(), 'sn-cli-unused') },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const email = path.join(ROOT, 'datasets/email-Eu-core/email-Eu-core.txt.gz');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-export-'));

describe('supernode export', () => {
  it.skipIf(!hasNetworkx)('writes the ego network and the top N as GEXF/GraphML that NetworkX reads back as the source file says', () => {
    const ego = path.join(dir, 'ego.gexf');
    const r = cli('export', email, '--columns', 'source,target', '--ego', '10', '--radius', '2', '--output', ego, '--quiet');
    expect(r.code, r.err).toBe(0);
    const out = compareWithNetworkx(email, ego, 'gexf', { center: '10', radius: 2 });
    expect(out).toMatchObject({ sameNodes: true, sameTies: true, weightsEqual: true, countsEqual: true });
    expect(out.nodes).toBeGreaterThan(100);
    expect(Number(out.attributes['10']!['ring'])).toBe(0);

    const top = path.join(dir, 'top.graphml');
    expect(cli('export', email, '--columns', 'source,target', '--top', '40', '--output', top, '--quiet').code).toBe(0);
    const json = cli('export', email, '--columns', 'source,target', '--top', '40', '--format', 'graphology', '--quiet');
    const g = UndirectedGraph.from(JSON.parse(json.out));
    const members = g.nodes();
    expect(members).toHaveLength(40);
    // Ranks 1..40: the top N by super-node score, with the measures as attributes.
    expect(members.map((m) => g.getNodeAttribute(m, 'rank')).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const cmp = compareWithNetworkx(email, top, 'graphml', { members });
    expect(cmp).toMatchObject({ sameNodes: true, sameTies: true, weightsEqual: true, countsEqual: true });
    for (const m of members) expect(Number(cmp.attributes[m]!['pagerank'])).toBeCloseTo(g.getNodeAttribute(m, 'pagerank'), 12);
  }, 120_000);

  it('exports a community and the super-graph; selectors exclude each other', () => {
    const karate = 'datasets/karate-club/karate_club_edges.txt.gz';
    const c = cli('export', karate, '--columns', 'source,target,weight', '--undirected', '--community', '0', '--format', 'graphology', '--quiet');
    expect(c.code, c.err).toBe(0);
    const g = UndirectedGraph.from(JSON.parse(c.out));
    expect(g.order).toBeGreaterThan(3);
    g.forEachNode((_n, a) => expect(a['community']).toBe(0));
    const s = cli('export', karate, '--columns', 'source,target,weight', '--undirected', '--communities', '--format', 'graphology', '--quiet');
    const sg = UndirectedGraph.from(JSON.parse(s.out));
    expect(sg.getAttribute('kind')).toBe('communities');
    let members = 0;
    sg.forEachNode((_n, a) => { members += a['members'] as number; });
    expect(members).toBe(34);
    const both = cli('export', karate, '--top', '5', '--ego', '0');
    expect(both.code).toBe(1);
    expect(both.err).toMatch(/^supernode: BAD_OPTION: give at most one of/);
    expect(cli('export', karate, '--format', 'pdf').err).toMatch(/^supernode: BAD_OPTION: --format must be one of graphology, gexf, graphml/);
  }, 60_000);
});
