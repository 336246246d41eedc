/** The answer commands (ties, core-periphery, contribution) as a script runs them: real child processes. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/reference.js';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/helpers/run-cli.ts'), ...args], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, SUPERNODE_DATA: path.join(os.tmpdir(), 'sn-cli-unused') },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('supernode ties', () => {
  it('--json gives exactly {ties: [{source, target, weight, count, reciprocal, overlap, class, bridge, last}], reciprocity}, equal to NetworkX on email-Eu-core', () => {
    const r = cli('ties', 'datasets/email-Eu-core/email-Eu-core.txt.gz', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { ties: Record<string, unknown>[]; reciprocity: number };
    expect(Object.keys(j)).toEqual(['ties', 'reciprocity']);
    // NetworkX 3.6.1 values, test/fixtures/reference/ties (make_ties.py).
    const ref = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(ROOT, 'test/fixtures/reference/ties/email-Eu-core.json.gz'))).toString('utf8')) as {
      reciprocity: number; ties: number; overlap: Record<string, number>;
    };
    expect(Math.abs(j.reciprocity - ref.reciprocity)).toBeLessThan(1e-12);
    expect(j.ties).toHaveLength(ref.ties);
    for (const t of j.ties) {
      expect(Object.keys(t)).toEqual(['source', 'target', 'weight', 'count', 'reciprocal', 'overlap', 'class', 'bridge', 'last']);
      const a = t['source'] as string, b = t['target'] as string;
      const want = ref.overlap[a < b ? `${a} ${b}` : `${b} ${a}`]!;
      if (Math.abs((t['overlap'] as number) - want) > 1e-12) expect({ a, b, overlap: t['overlap'] }).toEqual({ a, b, overlap: want });
      // A bridge is always weak; no timestamps, so no last interaction.
      if (t['bridge']) expect(t['class']).toBe('weak');
      expect(t['last']).toBeNull();
    }
    // Strongest first.
    for (let i = 1; i < j.ties.length; i++) expect(j.ties[i - 1]!['weight'] as number).toBeGreaterThanOrEqual(j.ties[i]!['weight'] as number);
  });

  it('gives the last interaction and per-member bridges on a temporal file', () => {
    const r = cli('ties', 'datasets/CollegeMsg/CollegeMsg.txt.gz', '--columns', 'source,target,timestamp', '--members', '--json', '--window', '30d');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { members: { id: string; ties: number; strong: number; strongShare: number; bridges: number }[] };
    expect(j.members.length).toBeGreaterThan(0);
    for (const m of j.members) expect(m.strongShare).toBeCloseTo(m.strong / m.ties, 12);
    const t = JSON.parse(cli('ties', 'datasets/CollegeMsg/CollegeMsg.txt.gz', '--columns', 'source,target,timestamp', '--json').out) as { ties: { last: string; count: number; weight: number }[] };
    // CollegeMsg's last message is at Unix 1098777142 and it has 59,835 rows, no self-loops
    // (datasets/PROVENANCE.md): every row is counted on one tie, every tie has a last time.
    expect(t.ties.every((x) => typeof x.last === 'string' && x.last <= new Date(1098777142e3).toISOString())).toBe(true);
    expect(t.ties.some((x) => x.last === new Date(1098777142e3).toISOString())).toBe(true);
    expect(t.ties.reduce((s, x) => s + x.count, 0)).toBe(59835);
    expect(t.ties.every((x) => x.count === x.weight)).toBe(true);
  });
});

describe('supernode core-periphery', () => {
  it('--json gives the core, members by coreness and the movement on a temporal file', () => {
    const r = cli('core-periphery', 'datasets/CollegeMsg/CollegeMsg.txt.gz', '--columns', 'source,target,timestamp', '--json', '--top', '5');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.core.size).toBeGreaterThan(0);
    expect(j.members).toHaveLength(5);
    expect(j.members[0]).toMatchObject({ rank: 1, coreness: 1, position: 'core' });
    expect(j.movement.windows).toHaveLength(2);
    // Windows of 30 days ending at CollegeMsg's last message (Unix 1098777142, datasets/PROVENANCE.md).
    expect(j.movement.windows[1].to).toBe(new Date(1098777142e3 + 1).toISOString());
    for (const m of j.movement.joined) expect(m.now).toBe('core');
    for (const m of j.movement.left) expect(m.before).toBe('core');
  });

  it('says there is no movement without timestamps', () => {
    const r = cli('core-periphery', 'datasets/karate-club/karate_club_edges.txt.gz', '--undirected');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('no timestamps: no movement');
  });
});

describe('supernode contribution', () => {
  it('--json gives consecutive pay periods with points, pool shares and every component', () => {
    const r = cli('contribution', 'datasets/CollegeMsg/CollegeMsg.txt.gz', '--columns', 'source,target,timestamp', '--json', '--windows', '2', '--top', '1000000');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { windows: { from: string; to: string; interactions: number; members: { points: number; poolShare: number; score: number; components: Record<string, { share: number }> }[] }[] };
    expect(j.windows).toHaveLength(2);
    // Back to back, the last ending just after CollegeMsg's last message (Unix 1098777142).
    expect(j.windows[0]!.to).toBe(j.windows[1]!.from);
    expect(j.windows[1]!.to).toBe(new Date(1098777142e3 + 1).toISOString());
    for (const w of j.windows) {
      expect(w.members.reduce((a, m) => a + m.poolShare, 0)).toBeCloseTo(1, 9);
      for (const m of w.members.slice(0, 20)) {
        expect(Object.values(m.components).reduce((a, c) => a + c.share, 0)).toBeCloseTo(m.score, 12);
        expect(m.points).toBe(Math.round(100 * m.score));
      }
    }
  });
});

describe('supernode communities --flow', () => {
  it('names the heaviest flows between two different communities, heaviest first, and prints the matrix', () => {
    const r = cli('communities', 'datasets/CollegeMsg/CollegeMsg.txt.gz', '--columns', 'source,target,timestamp', '--flow', '--json', '--top', '1000000');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { communities: number; flows: { from: number; to: number; weight: number; shareOfFrom: number }[] };
    expect(j.flows.length).toBeGreaterThan(0);
    for (let i = 0; i < j.flows.length; i++) {
      const f = j.flows[i]!;
      expect(f.from).not.toBe(f.to);
      expect(f.shareOfFrom).toBeGreaterThan(0);
      expect(f.shareOfFrom).toBeLessThan(1);
      if (i > 0) expect(j.flows[i - 1]!.weight).toBeGreaterThanOrEqual(f.weight);
    }
    // Between communities plus inside them is every interaction: CollegeMsg has 59,835 rows, no
    // self-loops (datasets/PROVENANCE.md), so the flows between communities are less than that.
    expect(j.flows.reduce((a, f) => a + f.weight, 0)).toBeLessThan(59835);
    const table = cli('communities', 'datasets/CollegeMsg/CollegeMsg.txt.gz', '--columns', 'source,target,timestamp', '--flow', '--top', '3');
    expect(table.out).toContain('heaviest flows between two communities');
    expect(table.out).toContain('diagonal = inside a community');
  });
});

describe('supernode seeds', () => {
  it('gives marginal gains and communities reached, leaves --exclude out and says how the seeds compare with the PageRank top', () => {
    const f = 'datasets/karate-club/karate_club_edges.txt.gz';
    const base = JSON.parse(cli('seeds', f, '--undirected', '--k', '3', '--json', '--quiet').out) as {
      seeds: { id: string; marginal: number; communitiesReached: number[]; community: number }[]; spread: { mean: number }; pagerankTopOverlap: number; note: string;
    };
    expect(base.seeds).toHaveLength(3);
    for (const s of base.seeds) {
      expect(s.marginal).toBeGreaterThan(0);
      expect(s.communitiesReached).toContain(s.community);
    }
    expect(base.note).toMatch(/PageRank top 3/);
    const staff = base.seeds.slice(0, 2).map((s) => s.id);
    const ids = path.join(os.tmpdir(), `sn-staff-${process.pid}.txt`);
    fs.writeFileSync(ids, `# staff\n${staff.join('\n')}\n`);
    const without = JSON.parse(cli('seeds', f, '--undirected', '--k', '3', '--json', '--quiet', '--exclude', ids).out) as typeof base & { excluded: number };
    expect(without.excluded).toBe(2);
    expect(without.seeds.some((s) => staff.includes(s.id))).toBe(false);
    const bad = cli('seeds', f, '--undirected', '--k', '3', '--candidates', '1,nobody');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('UNKNOWN_MEMBER');
  });
});

describe('readable reports', () => {
  const f = ['datasets/CollegeMsg/CollegeMsg.txt.gz', '--columns', 'source,target,timestamp', '--quiet'];
  it('leaders --top N gives N leaders in every community, each with its why', () => {
    const j = JSON.parse(cli('leaders', ...f, '--top', '2', '--json').out) as { leaders: { community: number; members: { rank: number; why: string }[] }[] };
    // Every community of at least 2 members (leaders.ts minSize), not the first N communities.
    expect(j.leaders.length).toBeGreaterThan(2);
    for (const c of j.leaders) {
      expect(c.members.length).toBeLessThanOrEqual(2);
      for (const l of c.members) expect(l.why).toMatch(new RegExp(`^#${l.rank} of [\\d,]+ in community ${c.community}: `));
    }
  });

  it('roles and brokers print what their numbers mean; rising shows status, both windows and activity', () => {
    expect(cli('brokers', ...f, '--top', '2').out).toContain('lower constraint = more brokerage');
    expect(cli('roles', ...f, '--top', '2').out).toContain('participation: 0 = every tie inside its own community');
    const rising = cli('rising', ...f, '--top', '2').out;
    expect(rising).toMatch(/windows: before 2004-08-27\.\.2004-09-26 \([\d,]+ interactions\), now 2004-09-26\.\.2004-10-26/);
    expect(rising).toContain('activity before -> now');
  });
});
