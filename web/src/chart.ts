/** Small inline-SVG and HTML charts: a rank trajectory, a weekly activity line, explanation bars. */
import { fmt, h, pct, s } from './dom.js';

export interface Component { name: string; value: number; percentile: number; share: number }

/** One bar per score component: its percentile among members (the bar) and its share of the score. */
export function componentBars(components: readonly Component[]): HTMLElement {
  const box = h('div', { class: 'bars', role: 'list', 'aria-label': 'score components' });
  for (const c of components) {
    const p = Math.max(0, Math.min(1, c.percentile));
    box.append(
      h('span', { role: 'listitem' }, c.name),
      h('div', { class: 'bar', title: `percentile ${pct(p)}, value ${fmt(c.value)}`, 'aria-hidden': 'true' }, h('span', { style: `width:${(p * 100).toFixed(1)}%` })),
      h('span', { class: 'num', 'aria-label': `${c.name} percentile ${pct(p)}` }, pct(p)),
    );
  }
  return box;
}

/** One component as a table cell: bar and percentile (the value and share in its title). */
export function componentCell(c: Component): HTMLElement {
  const p = Math.max(0, Math.min(1, c.percentile));
  return h('div', { class: 'cbar', title: `${c.name}: value ${fmt(c.value)}, percentile ${pct(p)}, ${pct(c.share)} of the score` },
    h('div', { class: 'bar', 'aria-hidden': 'true' }, h('span', { style: `width:${(p * 100).toFixed(1)}%` })), h('span', {}, pct(p)));
}

interface Point { label: string; value: number | null }

/**
 * A line over time. `invert` puts low values on top (rank 1 is best). Gaps (null) break the line;
 * the title and a text summary carry the values for screen readers.
 */
export function lineChart(points: readonly Point[], o: { title: string; invert?: boolean; width?: number; height?: number; yLabel: string }): SVGElement {
  const W = o.width ?? 560, H = o.height ?? 200, L = 48, R = 28, T = 24, B = 34;
  const vals = points.map((p) => p.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const lo = vals.length ? Math.min(...vals) : 0, hi = vals.length ? Math.max(...vals) : 1;
  const span = hi - lo || 1;
  const x = (i: number) => L + (points.length <= 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (points.length - 1));
  const y = (v: number) => (o.invert ? T + ((v - lo) / span) * (H - T - B) : H - B - ((v - lo) / span) * (H - T - B));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart', role: 'img', 'aria-label': o.title });
  svg.append(s('title', {}, o.title));
  svg.append(s('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: '#c0c6cf' }), s('line', { x1: L, y1: T, x2: L, y2: H - B, stroke: '#c0c6cf' }));
  for (const v of [lo, hi]) svg.append(s('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, fmt(v)));
  svg.append(s('text', { x: 4, y: 11, 'text-anchor': 'start' }, o.yLabel));
  let d = '';
  points.forEach((p, i) => {
    if (p.value === null || !Number.isFinite(p.value)) { d += ' '; return; }
    d += `${d.endsWith(' ') || d === '' ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`;
  });
  svg.append(s('path', { d: d.trim().split(' ').filter(Boolean).join(' '), fill: 'none', stroke: '#1f5fbf', 'stroke-width': 2 }));
  points.forEach((p, i) => {
    if (p.value === null || !Number.isFinite(p.value)) return;
    const c = s('circle', { cx: x(i).toFixed(1), cy: y(p.value).toFixed(1), r: 3, fill: '#1f5fbf' });
    c.append(s('title', {}, `${p.label}: ${fmt(p.value)}`));
    svg.append(c);
  });
  const step = Math.max(1, Math.ceil(points.length / 6));
  points.forEach((p, i) => {
    // Every step-th label, and the last one in place of a neighbour it would overlap.
    const last = i === points.length - 1;
    if (last || (i % step === 0 && points.length - 1 - i >= step * 0.75)) svg.append(s('text', { x: x(i), y: H - B + 16, 'text-anchor': last && points.length > 1 ? 'end' : 'middle' }, p.label));
  });
  return svg;
}

export const day = (iso: string | number) => new Date(iso).toISOString().slice(0, 10);
