import { describe, expect, it } from 'vitest';
import { ingestFile } from '../../../engine/ingest/index.js';
import { runAlgorithm } from '../../../engine/catalog/index.js';
import { analyse, TRAJECTORY_MEMBERS } from '../../../engine/rank/analysis.js';
import { trajectory } from '../../../engine/rank/rising.js';
import path from 'node:path';
import { ROOT } from '../../helpers/reference.js';

describe('analyse (the job behind the API rankings)', () => {
  it('ranks every member of email-Eu-core with explanations that sum to the score', async () => {
    const r = await ingestFile(path.join(ROOT, 'datasets/email-Eu-core/email-Eu-core.txt.gz'));
    const out = await analyse({ columns: r.columns, members: r.members, directed: true }, { seed: 42 });
    expect(out.nodes).toBe(1005);
    expect(out.members).toHaveLength(1005);
    expect(out.members.map((m) => m.rank)).toEqual(Array.from({ length: 1005 }, (_, i) => i + 1));
    for (const m of out.members.slice(0, 50)) {
      const sum = m.explanation.components.reduce((a, c) => a + c.share, 0);
      expect(sum).toBeCloseTo(m.score, 12);
      expect(m.explanation.sentence.length).toBeGreaterThan(10);
    }
    expect(out.diagnostics['betweennessMethod']).toBe('exact');
    expect(out.communities.reduce((a, c) => a + c.size, 0)).toBe(1005);
    expect(out.leaders.length).toBeGreaterThan(0);
    expect(out.brokers.length).toBeGreaterThan(0);
    expect(out.roles).toHaveLength(1005);
    expect(out.rising).toEqual([]); // no timestamps
    expect(out.trajectories).toBeNull();
  });

  it('CollegeMsg: weekly activity, life cycles and rising stars from timestamps', async () => {
    const r = await ingestFile(path.join(ROOT, 'datasets/CollegeMsg/CollegeMsg.txt.gz'), { columns: ['source', 'target', 'timestamp'] });
    const out = await analyse({ columns: r.columns, members: r.members, directed: true }, { seed: 1 });
    expect(out.rising.length).toBeGreaterThan(0);
    expect(out.rising[0]!.gain).toBeGreaterThan(0);
    expect(out.communities.some((c) => c.activity.length > 0)).toBe(true);
    expect(out.communities.every((c) => c.lifecycle !== 'unknown')).toBe(true);
    const again = await analyse({ columns: r.columns, members: r.members, directed: true }, { seed: 1 });
    expect(again.members.slice(0, 20).map((m) => m.id)).toEqual(out.members.slice(0, 20).map((m) => m.id));
  });

  it('CollegeMsg: trajectories of the top super-nodes and rising stars equal the CLI trajectory', async () => {
    const r = await ingestFile(path.join(ROOT, 'datasets/CollegeMsg/CollegeMsg.txt.gz'), { columns: ['source', 'target', 'timestamp'] });
    const out = await analyse({ columns: r.columns, members: r.members, directed: true }, { seed: 1 });
    const t = out.trajectories!;
    const DAY = 86_400_000;
    // 193 days of messages: 7 windows of 30 days, oldest first, the last ending at the latest message.
    expect(t.windows).toHaveLength(7);
    for (let i = 0; i < t.windows.length; i++) {
      expect(t.windows[i]!.to - t.windows[i]!.from).toBe(30 * DAY);
      if (i > 0) expect(t.windows[i]!.from).toBe(t.windows[i - 1]!.to);
    }
    expect(t.windows.reduce((a, w) => a + w.interactions, 0)).toBe(r.columns.source.length);
    const ids = t.members.map((m) => m.id);
    expect(ids.slice(0, TRAJECTORY_MEMBERS)).toEqual(out.members.slice(0, TRAJECTORY_MEMBERS).map((m) => m.id));
    for (const s of out.rising) {
      const m = t.members[ids.indexOf(s.id)]!;
      expect(m.ranks.at(-1)).toBe(s.rankNow);
      // A new member (silent in the earlier window) has no rank before, not the silent members' tie.
      if (s.status === 'new') expect([s.rankBefore, s.activityBefore]).toEqual([null, 0]);
      else expect(m.ranks.at(-2)).toBe(s.rankBefore);
    }
    // Oracle: engine/rank/rising.ts `trajectory` (the CLI's) builds each window on its own.
    const nodes = ids.slice(0, 5).map((id) => r.members.indexOf(id));
    const cli = trajectory(r.columns, (_c, g) => {
      const o = runAlgorithm('pagerank', g, { seed: 1 });
      if (o.kind !== 'values') throw new Error('values expected');
      return o.values;
    }, { windowMs: 30 * DAY, members: nodes, from: t.windows[0]!.from, to: t.windows.at(-1)!.to, build: { directed: true, weighted: true } });
    expect(cli.windows.map((w) => [w.from, w.to, w.rows])).toEqual(t.windows.map((w) => [w.from, w.to, w.interactions]));
    for (let i = 0; i < nodes.length; i++) {
      expect(t.members[i]!.ranks).toEqual(cli.members[i]!.ranks);
      expect(t.members[i]!.scores).toEqual(cli.members[i]!.scores);
    }
  });
});
