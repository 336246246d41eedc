/** A member's profile: measures, the explanation, its rank trajectory, and its ego network drawn. */
import { get } from '../api.js';
import { type Component, componentBars, day, lineChart } from '../chart.js';
import { fmt, h, pct } from '../dom.js';
import { communityColor, draw } from '../graph.js';
import { fetchGraph, graphBox } from './communities.js';
import { base, type ViewCtx } from './context.js';
import { communityLink, memberLink } from './rankings.js';

interface Profile {
  snapshot: number;
  member: { id: string; label?: string; rank: number; score: number; community: number; percentile: number; measures: Record<string, number | null>; explanation: { components: Component[]; sentence: string } };
  community: { id: number; size: number; lifecycle: string } | null;
  role: { role: string; z: number; participation: number } | null;
  broker: { rank: number; communitiesLinked: number[] } | null;
  rising: { rankBefore: number; rankNow: number; gain: number } | null;
  leaderOf: number[];
  trajectory: { measure: string; windows: { from: string; to: string; rank: number | null; score: number | null; interactions: number }[] } | null;
}

export async function memberView(ctx: ViewCtx, id: string): Promise<void> {
  const p = await get<Profile>(`${base(ctx.dataset)}/members/${encodeURIComponent(id)}`);
  const m = p.member;
  const g = graphBox(`Ego network of ${m.id}: the member (large), its neighbours and every tie among them, coloured by community. Click a neighbour to open it.`, 'ego-graph');
  const facts: (Node | string)[] = [];
  const fact = (k: string, v: Node | string) => facts.push(h('dt', {}, k), h('dd', {}, v));
  fact('Rank', `${fmt(m.rank)} (percentile ${pct(m.percentile)})`);
  fact('Super-node score', m.score.toFixed(4));
  fact('Community', p.community ? h('span', {}, communityLink(ctx, m.community), ` · ${fmt(p.community.size)} members, ${p.community.lifecycle}`) : communityLink(ctx, m.community));
  if (p.role) fact('Role', `${p.role.role} (z ${fmt(p.role.z)}, participation ${fmt(p.role.participation)})`);
  if (p.broker) fact('Broker', `rank ${fmt(p.broker.rank)}, links ${p.broker.communitiesLinked.length} communities`);
  if (p.rising) fact('Rising', `rank ${fmt(p.rising.rankBefore)} → ${fmt(p.rising.rankNow)} (+${fmt(p.rising.gain)})`);
  if (p.leaderOf.length) fact('Opinion leader of', h('span', {}, ...p.leaderOf.flatMap((c, i) => [i ? ', ' : '', communityLink(ctx, c)])));
  const measures = Object.entries(m.measures).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, fmt(v))]);
  const t = p.trajectory;
  ctx.root.replaceChildren(
    h('h1', {}, `Member ${m.label ?? m.id}`),
    h('p', { class: 'sentence', id: 'member-sentence' }, m.explanation.sentence),
    h('div', { class: 'grid' },
      h('div', {},
        h('div', { class: 'card' }, h('dl', { class: 'measures' }, ...facts)),
        h('h2', {}, 'Score components'), componentBars(m.explanation.components),
        h('h2', {}, t ? `Rank by ${t.measure} per window` : 'Trajectory'),
        t ? lineChart(t.windows.map((w) => ({ label: day(w.to), value: w.rank })), { title: `${m.id}: rank by ${t.measure} per window (1 is best)`, invert: true, yLabel: 'rank' })
          : h('p', { class: 'muted', id: 'no-trajectory' }, 'No trajectory: the analysis keeps one for the top 100 super-nodes and the rising stars.'),
        h('h2', {}, 'Measures'), h('dl', { class: 'measures', id: 'measures' }, ...measures)),
      h('div', {}, h('h2', { style: 'margin-top:0' }, 'Ego network'), g.figure, h('div', { id: 'ego-list' }))),
  );
  const data = await fetchGraph(`${base(ctx.dataset)}/members/${encodeURIComponent(id)}/ego?radius=1`, g.box);
  if (data === null) return;
  const center = new Set([m.id]);
  const deg = new Map<string, number>();
  for (const e of data.edges) for (const k of [e.source, e.target]) deg.set(k, (deg.get(k) ?? 0) + 1);
  const maxDeg = Math.max(1, ...deg.values());
  await draw(g.box, data, {
    size: (_a, key) => (key === m.id ? 16 : 3 + 9 * Math.sqrt((deg.get(key) ?? 0) / maxDeg)),
    color: (a, key) => (key === m.id ? '#D55E00' : communityColor(a['community'])),
    label: (a, key) => String(a['label'] ?? key),
    onClick: (key) => { if (key !== m.id) location.hash = ctx.link(`member/${encodeURIComponent(key)}`); },
    highlight: center, maxEdges: 4000,
  });
  const neighbours = data.nodes.filter((n) => n.key !== m.id).sort((a, b) => (deg.get(b.key) ?? 0) - (deg.get(a.key) ?? 0));
  document.getElementById('ego-list')?.replaceChildren(
    h('p', { class: 'muted' }, `${fmt(neighbours.length)} neighbours; the best connected inside the ego network:`),
    h('p', {}, ...neighbours.slice(0, 20).flatMap((n, i) => [i ? ', ' : '', memberLink(ctx, n.key)])),
  );
}
