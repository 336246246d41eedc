/**
 * GraphML writer for a graphology graph (graphology-graphml 0.5 parses GraphML but has no writer).
 *
 * Format: http://graphml.graphdrawing.org/specification.html. One `<key>` per attribute name and
 * domain (graph, node, edge) with `attr.type` inferred over every value of that name: boolean when
 * all are booleans, long when all are integers, double when all are numbers, string otherwise
 * (NetworkX `read_graphml` maps these to bool, int, float, str). A null or missing value writes no
 * `<data>` element (GraphML has no null; NetworkX then lacks the attribute, as Gephi does).
 * Arrays and objects are written as JSON strings. Keys are d0, d1, ... in order of first use.
 * XML 1.0 cannot carry the C0 control characters other than tab, CR and LF, even escaped, nor lone
 * surrogates: they are written as U+FFFD (documented: such ids do not survive the round trip).
 * Complexity: two passes over nodes and edges, output built as an array of strings.
 */
import type { AbstractGraph as Graph } from 'graphology-types';

type Domain = 'graph' | 'node' | 'edge';
type AttrType = 'boolean' | 'long' | 'double' | 'string';

// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlEscape(text: string): string {
  return text.replace(INVALID_XML, '\uFFFD').replace(/[&<>"']/g, (c) => (
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}

function typeOf(v: unknown): AttrType | null {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return null;
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isSafeInteger(v) ? 'long' : 'double';
  return 'string';
}

function merge(a: AttrType | undefined, b: AttrType): AttrType {
  if (a === undefined || a === b) return b;
  if ((a === 'long' && b === 'double') || (a === 'double' && b === 'long')) return 'double';
  return 'string';
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

export function writeGraphml(graph: Graph): string {
  const keys = new Map<string, { id: string; domain: Domain; name: string; type: AttrType | undefined }>();
  const see = (domain: Domain, attrs: Record<string, unknown>) => {
    for (const [name, v] of Object.entries(attrs)) {
      const t = typeOf(v);
      const k = `${domain}\u0000${name}`;
      let rec = keys.get(k);
      if (rec === undefined) keys.set(k, (rec = { id: `d${keys.size}`, domain, name, type: undefined }));
      if (t !== null) rec.type = merge(rec.type, t);
    }
  };
  see('graph', graph.getAttributes());
  graph.forEachNode((_n, a) => see('node', a));
  graph.forEachEdge((_e, a) => see('edge', a));

  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ',
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'];
  for (const k of keys.values()) {
    out.push(`  <key id="${k.id}" for="${k.domain}" attr.name="${xmlEscape(k.name)}" attr.type="${k.type ?? 'string'}"/>\n`);
  }
  const data = (domain: Domain, attrs: Record<string, unknown>, indent: string) => {
    for (const [name, v] of Object.entries(attrs)) {
      if (typeOf(v) === null) continue;
      out.push(`${indent}<data key="${keys.get(`${domain}\u0000${name}`)!.id}">${xmlEscape(text(v))}</data>\n`);
    }
  };
  out.push(`  <graph id="G" edgedefault="${graph.type === 'directed' ? 'directed' : 'undirected'}">\n`);
  data('graph', graph.getAttributes(), '    ');
  graph.forEachNode((node, a) => {
    out.push(`    <node id="${xmlEscape(node)}">\n`);
    data('node', a, '      ');
    out.push('    </node>\n');
  });
  graph.forEachEdge((edge, a, source, target, _sa, _ta, undirected) => {
    const dir = graph.type === 'mixed' ? ` directed="${!undirected}"` : '';
    out.push(`    <edge id="${xmlEscape(edge)}" source="${xmlEscape(source)}" target="${xmlEscape(target)}"${dir}>\n`);
    data('edge', a, '      ');
    out.push('    </edge>\n');
  });
  out.push('  </graph>\n</graphml>\n');
  return out.join('');
}
