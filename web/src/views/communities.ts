/**
 * Communities: the super-graph (one node per community sized by members, edges weighted by the
 * interaction flow between them, coloured by life cycle) and one community's own subgraph, sampled
 * to its top members by score when large. Canvas nodes cannot take keyboard focus, so each graph
 * comes with a table of the same nodes as links.
 */
import { ApiError, get } from '../api.js';
import { day, lineChart } from '../chart.js';
import { fmt, h } from '../dom.js';
import { type Attrs, communityColor, draw, LIFECYCLE, type Serialized } from '../graph.js';
import { base, type ViewCtx } from './context.js';
import { memberLink, type PageOf } from './rankings.js';

export interface CommunityRow {
  id: number; size: number; internalWeight: number; externalWeight: number; density: number; conductance: number;
  lifecycle: string; topMembers: string[]; activity: { weekStart: number; interactions: number }[];
}

/** The community id a super-graph node stands for. */
export function communityOf(a: Attrs, key: string): number {
  const v = a['community'] ?? a['id'];
  return typeof v === 'number' ? v : Number(key);
}
const num = (a: Attrs, ...names: string[]) => {
  for (const n of names) if (typeof a[n] === 'number') return a[n] as number;
  return 0;
};

export function graphBox(caption: string, id: string): { figure: HTMLElement; box: HTMLElement; caption: HTMLElement } {
  const box = h('div', { class: 'graph', id, role: 'img', 'aria-label': caption });
  const cap = h('figcaption', {}, caption);
  return { figure: h('figure', { class: 'graph-wrap', style: 'margin:0' }, box, cap), box, caption: cap };
}

/** A graph endpoint's answer, or a message in the box saying why there is none. */
export async function fetchGraph(url: string, box: HTMLElement): Promise<Serialized | null> {
  try {
    return await get<Serialized>(url);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status === 401) throw e;
    box.replaceChildren(h('p', { class: 'error', style: 'padding:12px' }, `The graph is not available: ${e.message} (${e.code}).`));
    box.dataset['drawn'] = 'none';
    return null;
  }
}

/** Linear blend of two #rrggbb colours, t in [0, 1]. */
export function mix(from: string, to: string, t: number): string {
  const u = Math.max(0, Math.min(1, t));
  const ch = (hex: string, k: number) => Number.parseInt(hex.slice(1 + 2 * k, 3 + 2 * k), 16);
  return `#${[0, 1, 2].map((k) => Math.round(ch(from, k) + (ch(to, k) - ch(from, k)) * u).toString(16).padStart(2, '0')).join('')}`;
}

export function legend(): HTMLElement {
  return h('div', { class: 'legend', 'aria-label': 'life cycle colours' },
    ...Object.entries(LIFECYCLE).map(([k, c]) => h('span', {}, h('i', { style: `background:${c}` }), k)));
}

/** Draws the community super-graph into `box`; `extra` may add nodes (seeds) before drawing. */
export async function superGraph(ctx: ViewCtx, box: HTMLElement, extra?: (g: Serialized) => Serialized, highlight?: ReadonlySet<string>): Promise<Serialized | null> {
  const data = await fetchGraph(`${base(ctx.dataset)}/communities/graph`, box);
  if (data === null) return null;
  const full = extra ? extra(data) : data;
  const maxSize = Math.max(1, ...data.nodes.map((n) => num(n.attributes ?? {}, 'size', 'members')));
  // Largest radius shrinks with the count, so 200 communities do not cover each other.
  const maxR = Math.min(26, Math.max(7, 100 / Math.sqrt(data.nodes.length)));
  await draw(box, full, {
    size: (a) => (a['seed'] === true ? Math.max(5, maxR / 3) : 3 + maxR * Math.sqrt(num(a, 'size', 'members') / maxSize)),
    color: (a) => (a['seed'] === true ? '#D55E00' : LIFECYCLE[String(a['lifecycle'])] ?? '#999999'),
    label: (a, key) => (a['seed'] === true ? `seed ${String(a['id'] ?? key)}` : `#${communityOf(a, key)} (${fmt(num(a, 'size', 'members'))})`),
    weight: (a) => num(a, 'weight', 'flow') || 1,
    onClick: (key, a) => {
      location.hash = a['seed'] === true ? ctx.link(`member/${encodeURIComponent(String(a['id'] ?? key))}`) : ctx.link(`community/${communityOf(a, key)}`);
    },
    gravity: 3, maxEdges: Math.max(150, 4 * data.nodes.length),
    ...(highlight !== undefined && { highlight }),
  });
  const attrs = data.attributes ?? {};
  const shown = typeof attrs['communities'] === 'number' && attrs['communities'] > data.nodes.length ? `the ${fmt(data.nodes.length)} largest of ${fmt(attrs['communities'])} communities` : `${fmt(data.nodes.length)} communities`;
  if (shown !== `${fmt(data.nodes.length)} communities`) box.parentElement?.querySelector('figcaption')?.append(` Shown: ${shown}.`);
  return data;
}

export async function communitiesView(ctx: ViewCtx): Promise<void> {
  const g = graphBox('Community super-graph: one node per community, sized by members, edges weighted by interaction flow, coloured by life cycle. Click a community to open it.', 'supergraph');
  const table = h('tbody');
  ctx.root.replaceChildren(
    h('h1', {}, 'Communities'),
    h('div', { class: 'grid' },
      h('div', {}, legend(), g.figure),
      h('div', {},
        h('table', { id: 'communities-table' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Community'), h('th', { class: 'num', scope: 'col' }, 'Members'), h('th', { scope: 'col' }, 'Life cycle'),
            h('th', { class: 'num', scope: 'col' }, 'Density'), h('th', { class: 'num', scope: 'col' }, 'Conductance'), h('th', { scope: 'col' }, 'Top members'))),
          table))),
  );
  const page = await get<PageOf<CommunityRow>>(`${base(ctx.dataset)}/communities?limit=100&sort=size&order=desc`);
  table.replaceChildren(...page.items.map((c) => h('tr', {},
    h('td', {}, h('a', { href: ctx.link(`community/${c.id}`) }, `#${c.id}`)), h('td', { class: 'num' }, fmt(c.size)),
    h('td', {}, h('i', { style: `display:inline-block;width:10px;height:10px;border-radius:50%;background:${LIFECYCLE[c.lifecycle] ?? '#999'};margin-right:4px` }), c.lifecycle),
    h('td', { class: 'num' }, fmt(c.density)), h('td', { class: 'num' }, fmt(c.conductance)),
    h('td', {}, ...c.topMembers.slice(0, 3).flatMap((m, i) => [i > 0 ? ', ' : '', memberLink(ctx, m)])))));
  if (page.total > page.items.length) table.append(h('tr', {}, h('td', { colspan: 6, class: 'muted' }, `the 100 largest of ${fmt(page.total)} communities`)));
  await superGraph(ctx, g.box);
}

const SAMPLE = 150;

export async function communityView(ctx: ViewCtx, cid: number): Promise<void> {
  const page = await get<PageOf<CommunityRow>>(`${base(ctx.dataset)}/communities?community=${cid}&limit=1`);
  const c = page.items[0];
  if (c === undefined) throw new ApiError(404, 'COMMUNITY_NOT_FOUND', `no community ${cid}`);
  const sampled = c.size > SAMPLE;
  const g = graphBox(`Community #${cid}: ${sampled ? `its top ${SAMPLE} of ${fmt(c.size)} members by score` : `all ${fmt(c.size)} members`} and the ties among them; node size by super-node score, colour from blue (ties inside the community) to orange (ties spread over communities: participation). Click a member to open its profile.`, 'community-graph');
  const leaders = h('ol', { id: 'leaders' });
  ctx.root.replaceChildren(
    h('p', {}, h('a', { href: ctx.link('communities') }, '← All communities')),
    h('h1', {}, `Community #${cid}`),
    h('div', { class: 'grid' },
      g.figure,
      h('div', {},
        h('div', { class: 'card' },
          h('dl', { class: 'measures' },
            h('dt', {}, 'Members'), h('dd', {}, fmt(c.size)), h('dt', {}, 'Life cycle'), h('dd', {}, c.lifecycle),
            h('dt', {}, 'Internal weight'), h('dd', {}, fmt(c.internalWeight)), h('dt', {}, 'External weight'), h('dd', {}, fmt(c.externalWeight)),
            h('dt', {}, 'Density'), h('dd', {}, fmt(c.density)), h('dt', {}, 'Conductance'), h('dd', {}, fmt(c.conductance)))),
        h('h2', {}, 'Weekly interactions'),
        lineChart(c.activity.map((a) => ({ label: day(a.weekStart), value: a.interactions })), { title: `weekly interactions in community ${cid}`, yLabel: 'interactions' }),
        h('h2', {}, 'Opinion leaders'), leaders)),
  );
  const lead = await get<PageOf<{ id: string; rank: number; score: number }>>(`${base(ctx.dataset)}/communities/${cid}/leaders?limit=10`).catch(() => null);
  leaders.replaceChildren(...(lead?.items ?? []).map((l) => h('li', {}, memberLink(ctx, l.id), h('span', { class: 'muted' }, ` score ${fmt(l.score)}`))));
  const data = await fetchGraph(`${base(ctx.dataset)}/communities/${cid}/graph?limit=${SAMPLE}`, g.box);
  if (data === null) return;
  const scores = data.nodes.map((n) => num(n.attributes ?? {}, 'score'));
  // Scores in one community are close together: size by the spread among the drawn members.
  const lo = Math.min(...scores), span = Math.max(1e-12, Math.max(...scores) - lo);
  await draw(g.box, data, {
    size: (a) => 3 + 11 * ((num(a, 'score') - lo) / span),
    // Participation coefficient (Guimera & Amaral 2005): 0 = every tie inside, 1 = spread evenly.
    color: (a) => (typeof a['participation'] === 'number' ? mix('#0072B2', '#E69F00', a['participation'] as number) : communityColor(a['community'] ?? cid)),
    label: (a, key) => String(a['label'] ?? key),
    onClick: (key) => { location.hash = ctx.link(`member/${encodeURIComponent(key)}`); },
    maxEdges: 4000,
  });
}
