import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/reference.js';

/** The real CLI in a child process: exit code, stdout and stderr as a script sees them. */
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/helpers/run-cli.ts'), ...args], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, SUPERNODE_DATA: path.join(os.tmpdir(), 'sn-cli-unused') },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const karate = 'datasets/karate-club/karate_club_edges.txt.gz';

describe('supernode compute (the scripting contract)', () => {
  it('prints one JSON object with algorithm, nodes, edges, seconds and values keyed by member id', () => {
    const r = cli('compute', 'pagerank', karate, '--undirected', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ algorithm: 'pagerank', nodes: 34, edges: 78 });
    expect(typeof j.seconds).toBe('number');
    expect(Object.keys(j.values)).toHaveLength(34);
    const sum = Object.values(j.values as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 9);
    expect(j.diagnostics.converged).toBe(true);
  });

  it('partitions give membership, modularity and community count', () => {
    const r = cli('compute', 'leiden', karate, '--undirected', '--seed', '42', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j.membership)).toHaveLength(34);
    expect(j.modularity).toBeGreaterThan(0.43);
    expect(j.communities).toBe(new Set(Object.values(j.membership)).size);
  });

  it('member ids are data: __proto__, constructor, quotes and unicode come out as keys', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-cli-'));
    const f = path.join(dir, 'ids.csv');
    fs.writeFileSync(f, 'source,target\n__proto__,constructor\n"a,b",__proto__\nü,"say ""hi"""\n');
    const r = cli('compute', 'in-degree', f, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j.values).sort()).toEqual(['__proto__', 'a,b', 'constructor', 'say "hi"', 'ü'].sort());
    expect(Object.getOwnPropertyDescriptor(j.values, '__proto__')?.value).toBe(1);
  });

  it('bad input: exit status 1 and one line on stderr naming file, line and column', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-cli-'));
    const f = path.join(dir, 'bad.txt');
    fs.writeFileSync(f, '1 2 1\n2 3 x\n');
    const r = cli('compute', 'pagerank', f, '--json');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^supernode: INPUT_BAD_WEIGHT: .*bad\.txt:2:5: /);
  });

  it('an unknown algorithm or member fails with its code', () => {
    expect(cli('compute', 'nope', karate, '--json').err).toMatch(/^supernode: UNKNOWN_ALGORITHM: /);
    expect(cli('compute', 'personalized-pagerank', karate, '--sources', 'zz', '--json').err).toMatch(/^supernode: UNKNOWN_MEMBER: /);
  });

  it('--threads 2 runs in the worker pool and gives the same values as in-thread', () => {
    const a = JSON.parse(cli('compute', 'betweenness', karate, '--undirected', '--threads', '1', '--json').out);
    const b = JSON.parse(cli('compute', 'betweenness', karate, '--undirected', '--threads', '2', '--json').out);
    for (const k of Object.keys(a.values)) expect(b.values[k]).toBeCloseTo(a.values[k], 12);
  });
});

describe('supernode rank, ingest and datasets', () => {
  it('ranks with a time window over the latest interactions', () => {
    const all = JSON.parse(cli('rank', 'datasets/CollegeMsg/CollegeMsg.txt.gz', '--columns', 'source,target,timestamp', '--json', '--top', '5').out);
    const month = JSON.parse(cli('rank', 'datasets/CollegeMsg/CollegeMsg.txt.gz', '--columns', 'source,target,timestamp', '--window', '30d', '--json', '--top', '5').out);
    expect(all.top).toHaveLength(5);
    expect(all.edges).toBe(20296);
    expect(month.edges).toBeLessThan(all.edges);
    expect(month.edges).toBeGreaterThan(0);
    expect(all.top[0]).toHaveProperty('inStrength');
  });

  it('stores a dataset and ranks it back from the store', () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-data-'));
    const ing = cli('ingest', karate, '--name', 'karate', '--undirected', '--data', data);
    expect(ing.code).toBe(0);
    const listed = JSON.parse(cli('datasets', '--data', data, '--json').out);
    expect(listed.map((d: { name: string }) => d.name)).toEqual(['karate']);
    const fromFile = JSON.parse(cli('rank', karate, '--undirected', '--json').out);
    const fromStore = JSON.parse(cli('rank', '--dataset', 'karate', '--data', data, '--json').out);
    expect(fromStore.top).toEqual(fromFile.top);
  });
});

describe('supernode trajectory and stability', () => {
  const college = ['datasets/CollegeMsg/CollegeMsg.txt.gz', '--columns', 'source,target,timestamp'];

  it("trajectory: a member's rank per 30-day window, windows covering every interaction once", () => {
    const r = cli('trajectory', ...college, '--member', '9,32', '--step', '30d', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.members.map((m: { id: string }) => m.id)).toEqual(['9', '32']);
    // CollegeMsg spans 2004-04-15 .. 2004-10-26: 7 windows of 30 days, 59,835 timestamped rows in all.
    expect(j.windows).toHaveLength(7);
    expect(j.windows.reduce((a: number, w: { interactions: number }) => a + w.interactions, 0)).toBe(59835);
    for (const m of j.members) expect(m.ranks).toHaveLength(7);
    expect(cli('trajectory', ...college, '--member', 'nobody').err).toMatch(/^supernode: UNKNOWN_MEMBER: /);
  });

  it('stability: same seed, same answer; shares in [0, 1] and intervals around the rank', () => {
    const a = JSON.parse(cli('stability', ...college, '--k', '5', '--resamples', '20', '--seed', '7', '--json').out);
    const b = JSON.parse(cli('stability', ...college, '--k', '5', '--resamples', '20', '--seed', '7', '--json').out);
    expect(a).toEqual(b);
    expect(a.members).toHaveLength(5);
    for (const m of a.members) {
      expect(m.stayShare).toBeGreaterThanOrEqual(0);
      expect(m.stayShare).toBeLessThanOrEqual(1);
      expect(m.rankInterval90[0]).toBeLessThanOrEqual(m.medianRank);
      expect(m.rankInterval90[1]).toBeGreaterThanOrEqual(m.medianRank);
    }
  });
});
