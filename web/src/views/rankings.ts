/** Table views: top super-nodes (with explanations and component bars), rising stars, brokers. */
import { get } from '../api.js';
import { type Component, componentCell } from '../chart.js';
import { fmt, h } from '../dom.js';
import { base, type ViewCtx } from './context.js';

export interface PageOf<T> { dataset: string; snapshot: number; total: number; limit: number; offset: number; items: T[] }
export interface MemberItem {
  id: string; rank: number; score: number; community: number; label?: string;
  measures: Record<string, number | null>;
  explanation: { components: Component[]; sentence: string };
}

const PAGE = 25;

function pager(ctx: ViewCtx, page: PageOf<unknown>, view: string): HTMLElement {
  const from = page.offset + 1, to = page.offset + page.items.length;
  const prev = page.offset > 0 ? h('a', { class: 'button', href: ctx.link(`${view}/${Math.max(0, page.offset - PAGE)}`) }, '← Previous') : null;
  const next = to < page.total ? h('a', { class: 'button', href: ctx.link(`${view}/${to}`) }, 'Next →') : null;
  return h('div', { class: 'pager' }, prev, h('span', { class: 'muted' }, `${fmt(from)}–${fmt(to)} of ${fmt(page.total)}`), next);
}

export const memberLink = (ctx: ViewCtx, id: string, label?: string) => h('a', { href: ctx.link(`member/${encodeURIComponent(id)}`) }, label ?? id);
export const communityLink = (ctx: ViewCtx, c: number) => (c >= 0 ? h('a', { href: ctx.link(`community/${c}`) }, `#${c}`) : h('span', { class: 'muted' }, 'none'));

export async function topView(ctx: ViewCtx, offset: number): Promise<void> {
  const page = await get<PageOf<MemberItem>>(`${base(ctx.dataset)}/supernodes?limit=${PAGE}&offset=${offset}`);
  const rows = page.items.map((m) => h('tr', { 'data-member': m.id },
    h('td', { class: 'num' }, m.rank),
    h('td', {}, memberLink(ctx, m.id, m.label ?? m.id)),
    h('td', { class: 'num' }, m.score.toFixed(3)),
    h('td', {}, communityLink(ctx, m.community)),
    h('td', { class: 'sentence' }, m.explanation.sentence),
    ...m.explanation.components.map((c) => h('td', {}, componentCell(c))),
  ));
  const names = page.items[0]?.explanation.components.map((c) => c.name) ?? [];
  ctx.root.replaceChildren(
    h('h1', {}, 'Top super-nodes'),
    h('p', { class: 'muted' }, 'Members ranked by the super-node score, which combines influence (PageRank), two-hop reach, embeddedness (coreness) and brokerage (betweenness); each bar is the member\u2019s percentile on that component among all members.'),
    h('table', { id: 'top-table' },
      h('thead', {}, h('tr', {}, h('th', { class: 'num', scope: 'col' }, 'Rank'), h('th', { scope: 'col' }, 'Member'), h('th', { class: 'num', scope: 'col' }, 'Score'),
        h('th', { scope: 'col' }, 'Community'), h('th', { scope: 'col' }, 'Why'),
        // "influence (PageRank)" -> header "influence", the measure in its title.
        ...names.map((n) => h('th', { scope: 'col', title: n }, n.replace(/\s*\(.*\)$/, ''))))),
      h('tbody', {}, ...rows)),
    pager(ctx, page, 'top'),
  );
}

interface Rising { id: string; rankBefore: number; rankNow: number; gain: number }
export async function risingView(ctx: ViewCtx, offset: number): Promise<void> {
  const page = await get<PageOf<Rising>>(`${base(ctx.dataset)}/rising?limit=${PAGE}&offset=${offset}`);
  ctx.root.replaceChildren(
    h('h1', {}, 'Rising stars'),
    h('p', { class: 'muted' }, 'Biggest PageRank rank gains between the earlier and the recent window.'),
    h('table', { id: 'rising-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Member'), h('th', { class: 'num', scope: 'col' }, 'Rank before'), h('th', { class: 'num', scope: 'col' }, 'Rank now'), h('th', { class: 'num', scope: 'col' }, 'Gain'))),
      h('tbody', {}, ...page.items.map((r) => h('tr', {}, h('td', {}, memberLink(ctx, r.id)), h('td', { class: 'num' }, fmt(r.rankBefore)), h('td', { class: 'num' }, fmt(r.rankNow)), h('td', { class: 'num' }, `+${fmt(r.gain)}`))))),
    pager(ctx, page, 'rising'),
  );
}

interface Broker { id: string; rank: number; constraint: number; effectiveSize: number; betweenness: number; communitiesLinked: number[] }
export async function brokersView(ctx: ViewCtx, offset: number): Promise<void> {
  const page = await get<PageOf<Broker>>(`${base(ctx.dataset)}/brokers?limit=${PAGE}&offset=${offset}`);
  ctx.root.replaceChildren(
    h('h1', {}, 'Brokers'),
    h('p', { class: 'muted' }, 'Members spanning structural holes: low Burt constraint, large effective size, high betweenness, ties into many communities.'),
    h('table', { id: 'brokers-table' },
      h('thead', {}, h('tr', {}, h('th', { class: 'num', scope: 'col' }, 'Rank'), h('th', { scope: 'col' }, 'Member'), h('th', { class: 'num', scope: 'col' }, 'Constraint'),
        h('th', { class: 'num', scope: 'col' }, 'Effective size'), h('th', { class: 'num', scope: 'col' }, 'Betweenness'), h('th', { scope: 'col' }, 'Communities linked'))),
      h('tbody', {}, ...page.items.map((b) => h('tr', {},
        h('td', { class: 'num' }, b.rank), h('td', {}, memberLink(ctx, b.id)), h('td', { class: 'num' }, fmt(b.constraint)), h('td', { class: 'num' }, fmt(b.effectiveSize)),
        h('td', { class: 'num' }, fmt(b.betweenness)), h('td', {}, `${b.communitiesLinked.length}: ${b.communitiesLinked.slice(0, 12).join(', ')}${b.communitiesLinked.length > 12 ? ', …' : ''}`))))),
    pager(ctx, page, 'brokers'),
  );
}
