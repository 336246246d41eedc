/**
 * Graph serialisations round-trip: graphology JSON through `Graph.from`, GEXF through
 * graphology-gexf's parser and GraphML (our writer, ./graphml.ts) through graphology-graphml's
 * parser, with ids that are hostile in XML and in JS objects, typed attributes and the caps.
 */
import { UndirectedGraph } from 'graphology';
import { parse as parseGexf } from 'graphology-gexf';
import { parse as parseGraphml } from 'graphology-graphml';
import { describe, expect, it } from 'vitest';
import { communityGraph, EXPORT_LIMITS, type MemberAttributes, nodeKey, serialiseGraph, subgraphToGraphology } from '../../../engine/export/graph.js';
import { xmlEscape } from '../../../engine/export/graphml.js';
import type { Subgraph } from '../../../engine/export/subgraph.js';

const ids = ['__proto__', 'a&b<"c">', 'zoë', "it's", 'constructor'];
const rows = new Map<string, MemberAttributes>(ids.map((id, i) => [id, {
  id, rank: i + 1, score: 1 / (i + 1), community: i % 2, label: i === 2 ? 'Zoë' : null,
  measures: { pagerank: 0.1 * (i + 1), kcore: i, betweenness: i === 0 ? null : 0.5 },
}]));
const sub: Subgraph = {
  nodes: Int32Array.from([0, 1, 2, 3, 4]), rings: Uint8Array.from([0, 1, 1, 2, 2]),
  source: Int32Array.from([0, 0, 1, 2, 0]), target: Int32Array.from([1, 2, 3, 4, 4]), weight: Float64Array.from([1.5, 2, 3, 4, 5]),
  nodesDropped: 0, edgesDropped: 0, workCapped: false,
};
const counts = Float64Array.from([1, 2, 3, 4, 5]);

// graphology cannot key a node `__proto__` or `constructor` (nodeKey): they carry a U+200B, and their id as an attribute.
const P = '__proto__\u200b', C = 'constructor\u200b';
function check(g: UndirectedGraph): void {
  expect(new Set(g.nodes())).toEqual(new Set(ids.map(nodeKey)));
  expect(new Set(g.mapNodes((_n, a) => a['id']))).toEqual(new Set(ids));
  expect(g.size).toBe(5);
  expect(g.hasEdge(P, 'a&b<"c">')).toBe(true);
  expect(g.getEdgeAttribute(g.edge(P, 'a&b<"c">')!, 'weight')).toBe(1.5);
  expect(Number(g.getEdgeAttribute(g.edge('zoë', C)!, 'count'))).toBe(4);
  expect(g.hasEdge(C, P)).toBe(true);
  expect(Number(g.getNodeAttribute('zoë', 'pagerank'))).toBeCloseTo(0.3, 15);
  expect(g.getNodeAttribute('zoë', 'label')).toBe('Zoë');
  expect(Number(g.getNodeAttribute("it's", 'ring'))).toBe(2);
  // A measure without a value is absent, not null or NaN.
  expect(g.getNodeAttribute(P, 'betweenness')).toBeUndefined();
}

describe('graph export', () => {
  const g = subgraphToGraphology(sub, ids, (id) => rows.get(id), counts, { kind: 'ego' });

  it('graphology JSON, GEXF and GraphML read back to the same graph', () => {
    check(g as UndirectedGraph);
    check(UndirectedGraph.from(JSON.parse(serialiseGraph(g, 'graphology').body)));
    check(parseGexf(UndirectedGraph, serialiseGraph(g, 'gexf').body) as UndirectedGraph);
    const gml = serialiseGraph(g, 'graphml');
    expect(gml.type).toBe('application/graphml+xml; charset=utf-8');
    check(parseGraphml(UndirectedGraph, gml.body) as UndirectedGraph);
    // Types are inferred over every value: kcore is integral everywhere, pagerank is not.
    expect(gml.body).toMatch(/attr.name="kcore" attr.type="long"/);
    expect(gml.body).toMatch(/attr.name="pagerank" attr.type="double"/);
    expect(gml.body).toMatch(/attr.name="truncated" attr.type="boolean"/);
    // Bytes are stable for one input (ETags are derived from the snapshot, not the body).
    expect(serialiseGraph(g, 'graphml').body).toBe(gml.body);
  });

  it('keys are a bijection of ids', () => {
    expect(nodeKey('a')).toBe('a');
    expect(nodeKey('toString')).toBe('toString\u200b');
    expect(nodeKey('x\u200b')).toBe('x\u200b\u200b');
    expect(new Set(['constructor', 'constructor\u200b', 'constructor\u200b\u200b'].map(nodeKey)).size).toBe(3);
  });

  it('writes what XML 1.0 cannot carry as U+FFFD and escapes the rest', () => {
    expect(xmlEscape('a\u0001b&<>"\'\ud800')).toBe('a\ufffdb&amp;&lt;&gt;&quot;&apos;\ufffd');
    expect(xmlEscape('tab\tnew\nline \ud83d\ude00')).toBe('tab\tnew\nline \ud83d\ude00');
  });

  it('builds the super-graph of the largest communities with the flow both ways as weight', () => {
    const cs = [0, 1, 2, 3].map((id) => ({ id, size: 10 - id, internalWeight: 1, externalWeight: 1, density: 0.5, conductance: 0.1, lifecycle: 'active' as const, topMembers: [`m${id}`] }));
    const flow = [{ from: 0, to: 1, weight: 2 }, { from: 1, to: 0, weight: 3 }, { from: 0, to: 0, weight: 9 }, { from: 2, to: 3, weight: 1 }];
    const s = communityGraph(cs, flow, 3, {});
    expect(s.order).toBe(3);
    expect(s.size).toBe(1);
    expect(s.getEdgeAttribute(s.edge('0', '1')!, 'weight')).toBe(5);
    expect(s.getNodeAttribute('0', 'members')).toBe(10);
    expect(s.getAttributes()).toMatchObject({ kind: 'communities', communities: 4, nodesDropped: 1, truncated: true });
    // Capped flows: the heaviest pairs stay.
    const capped = communityGraph(cs, [...flow, { from: 0, to: 2, weight: 1 }], 3, {}, 1);
    expect(capped.size).toBe(1);
    expect(capped.hasEdge('0', '1')).toBe(true);
    expect(capped.getAttribute('edgesDropped')).toBe(1);
  });

  it('refuses to build a graph beyond the export limits', () => {
    const n = EXPORT_LIMITS.maxNodes + 1;
    const big: Subgraph = { ...sub, nodes: new Int32Array(n), rings: null, source: new Int32Array(0), target: new Int32Array(0), weight: new Float64Array(0) };
    expect(() => subgraphToGraphology(big, Array.from({ length: n }, (_, i) => String(i)), () => undefined, null, {})).toThrow(/at most/);
  });
});
