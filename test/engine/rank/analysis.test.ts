import { describe, expect, it } from 'vitest';
import { ingestFile } from '../../../engine/ingest/index.js';
import { analyse } from '../../../engine/rank/analysis.js';
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
});
