/**
 * Drawing a graph the API exported (graphology's serialisation, `graph.export()`) with sigma v3.
 * The export keeps every attribute; the drawn model is a fresh simple undirected graphology graph
 * (parallel ties merged by weight, self-loops dropped: sigma draws neither well) whose nodes carry
 * only what sigma reads (x, y, size, color, label) plus the original attributes under `data`.
 *
 * Layout: nodes start on a circle (deterministic: same data, same picture) and ForceAtlas2 runs a
 * fixed number of synchronous iterations (Jacomy et al. 2014; Barnes-Hut above 400 nodes). A few
 * hundred nodes settle in well under 100 ms, so no worker is needed.
 */
import Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import { circular } from 'graphology-layout';
import Sigma from 'sigma';

export interface Serialized {
  attributes?: Record<string, unknown>;
  options?: { type?: string; multi?: boolean; allowSelfLoops?: boolean };
  nodes: { key: string; attributes?: Record<string, unknown> }[];
  edges: { key?: string; source: string; target: string; attributes?: Record<string, unknown>; undirected?: boolean }[];
}

export type Attrs = Record<string, unknown>;

export interface DrawOptions {
  size: (a: Attrs, key: string) => number;
  color: (a: Attrs, key: string) => string;
  label: (a: Attrs, key: string) => string;
  /** Edge weight from its attributes (default `weight`, else 1). */
  weight?: (a: Attrs) => number;
  onClick?: (key: string, a: Attrs) => void;
  /** Keys drawn larger, labelled and on top (the ego member, the seeds). */
  highlight?: ReadonlySet<string>;
  /** FA2 gravity; stronger keeps disconnected parts (super-graph islands) in frame. */
  gravity?: number;
  /**
   * Most ties drawn (default: all). Past it the backbone is kept: every node's `BACKBONE` strongest
   * ties, then the strongest of the rest, so a dense super-graph reads as structure, not a hairball.
   */
  maxEdges?: number;
}

const BACKBONE = 3;

/** The edges to keep: each node's BACKBONE heaviest, then the heaviest others, up to `max`. */
export function backbone(g: Graph, max: number): Set<string> {
  const keep = new Set<string>();
  const byWeight = (a: string, b: string) => (g.getEdgeAttribute(b, 'weight') as number) - (g.getEdgeAttribute(a, 'weight') as number) || (a < b ? -1 : 1);
  g.forEachNode((n) => {
    for (const e of g.edges(n).sort(byWeight).slice(0, BACKBONE)) keep.add(e);
  });
  for (const e of g.edges().sort(byWeight)) {
    if (keep.size >= max) break;
    keep.add(e);
  }
  return keep;
}

export interface Drawn {
  readonly graph: Graph;
  readonly renderer: Sigma;
  kill(): void;
}

const live = new Set<Drawn>();

/** Ends every renderer (a view change): WebGL contexts are limited, so none may linger. */
export function killAll(): void {
  for (const d of [...live]) d.kill();
}

export function toModel(data: Serialized, opts: DrawOptions): Graph {
  const g = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
  const weightOf = opts.weight ?? ((a: Attrs) => (typeof a['weight'] === 'number' ? (a['weight'] as number) : 1));
  for (const n of data.nodes) {
    const a = n.attributes ?? {};
    const hl = opts.highlight?.has(n.key) === true;
    g.addNode(n.key, {
      x: 0, y: 0, size: opts.size(a, n.key) * (hl ? 1.4 : 1), color: opts.color(a, n.key), label: opts.label(a, n.key),
      ...(hl && { forceLabel: true, zIndex: 1 }), data: a,
    });
  }
  for (const e of data.edges) {
    if (e.source === e.target || !g.hasNode(e.source) || !g.hasNode(e.target)) continue;
    const w = weightOf(e.attributes ?? {});
    if (g.hasEdge(e.source, e.target)) g.updateEdgeAttribute(e.source, e.target, 'weight', (x) => (x as number) + w);
    else g.addEdge(e.source, e.target, { weight: w });
  }
  const total = g.size;
  if (opts.maxEdges !== undefined && g.size > opts.maxEdges) {
    const keep = backbone(g, opts.maxEdges);
    for (const e of g.edges()) if (!keep.has(e)) g.dropEdge(e);
  }
  g.setAttribute('tiesBeforeThinning', total);
  let max = 0;
  g.forEachEdge((_e, a) => { max = Math.max(max, a['weight'] as number); });
  g.forEachEdge((e, a) => {
    const r = max > 0 ? Math.log1p(a['weight'] as number) / Math.log1p(max) : 0;
    g.mergeEdgeAttributes(e, { size: 0.5 + 3.5 * r, color: `rgba(90, 104, 124, ${(0.18 + 0.5 * r).toFixed(2)})` });
  });
  return g;
}

export function layout(g: Graph, gravity = 1): void {
  circular.assign(g, { scale: 100 });
  if (g.size === 0) return;
  const settings = { ...forceAtlas2.inferSettings(g), gravity, barnesHutOptimize: g.order > 400, edgeWeightInfluence: 0.5 };
  forceAtlas2.assign(g, { iterations: g.order > 1000 ? 60 : 150, settings, getEdgeWeight: 'weight' });
}

/**
 * Draws into `container` (which must have a size). Resolves once sigma has rendered a frame, and
 * marks the container `data-drawn` with the node and edge counts (what the page says it shows).
 */
export function draw(container: HTMLElement, data: Serialized, opts: DrawOptions): Promise<Drawn> {
  const g = toModel(data, opts);
  layout(g, opts.gravity ?? 1);
  container.replaceChildren();
  const renderer = new Sigma(g, container, {
    renderEdgeLabels: false, labelRenderedSizeThreshold: 7, labelFont: 'system-ui, sans-serif', labelSize: 12,
    zIndex: true, defaultEdgeType: 'line', minCameraRatio: 0.05, maxCameraRatio: 4, stagePadding: 50,
  });
  let hovered: string | null = null;
  renderer.on('enterNode', ({ node }) => { hovered = node; container.style.cursor = opts.onClick ? 'pointer' : 'default'; renderer.refresh(); });
  renderer.on('leaveNode', () => { hovered = null; container.style.cursor = 'default'; renderer.refresh(); });
  renderer.setSetting('nodeReducer', (node, a) => (node === hovered ? { ...a, highlighted: true, forceLabel: true } : a));
  if (opts.onClick !== undefined) {
    const click = opts.onClick;
    renderer.on('clickNode', ({ node }) => click(node, g.getNodeAttribute(node, 'data') as Attrs));
  }
  const drawn: Drawn = {
    graph: g, renderer,
    kill() {
      if (!live.delete(drawn)) return;
      renderer.kill();
    },
  };
  live.add(drawn);
  return new Promise((resolve) => {
    renderer.once('afterRender', () => {
      const total = g.getAttribute('tiesBeforeThinning') as number;
      container.dataset['drawn'] = `${g.order} nodes, ${g.size} ties${total > g.size ? ` (strongest of ${total})` : ''}`;
      if (total > g.size) {
        container.parentElement?.querySelector('figcaption')?.append(` Drawn: the ${g.size.toLocaleString('en-US')} strongest of ${total.toLocaleString('en-US')} ties (each node's ${BACKBONE} strongest, then the heaviest).`);
      }
      resolve(drawn);
    });
    renderer.refresh();
  });
}

/** Life cycle colours (engine/rank/communities.ts LIFECYCLE_LABELS), colour-blind-safe (Okabe-Ito). */
export const LIFECYCLE: Readonly<Record<string, string>> = {
  growing: '#009E73', active: '#0072B2', cooling: '#E69F00', dormant: '#999999', unknown: '#CC79A7',
};
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000', '#7F7F7F', '#8C564B'];
export function communityColor(c: unknown): string {
  return typeof c === 'number' && c >= 0 ? PALETTE[c % PALETTE.length]! : '#bbbbbb';
}
