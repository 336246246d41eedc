/**
 * GraphML in (and, through `readXmlGraph`, GEXF: gexf.ts), with graphology-graphml: the library
 * reads the key declarations, casts each `<data>` to its declared type and applies defaults; we
 * turn the graphology graph it builds into edge rows.
 *
 * xmldom's warnings (an unclosed attribute, ...) are failures too: they are malformed input. It
 * does accept a mismatched end tag silently (it closes the open elements), as browsers do.
 *
 * Bounded, not streamed: the library needs a DOM (xmldom) and builds a graphology graph, so the
 * document is held whole under GRAPH_DOCUMENT_MAX_BYTES (records.ts) and refused beyond it with
 * INPUT_LIMIT. Positions: the DOM is parsed here with xmldom's locator (the parser the library
 * itself uses, resolved from it), so XML syntax errors and bad edge values name the line and
 * column of the document and of the offending `<edge>` element; the library adds edges in
 * document order, so the k-th graph edge is the k-th element.
 *
 * Members: every `<node id>` in declaration order (isolated ones too), member id = the node id
 * (what graphology, Gephi and NetworkX call the node). Edge fields: data keys named through the
 * shared alias table (`weight`, `timestamp`/`time`, `type`/`kind`, ...). The graph's
 * `edgedefault` (GraphML) or `defaultedgetype` (GEXF) is reported, not applied: the caller decides
 * (the CLI suggests --undirected).
 */
import { createRequire } from 'node:module';
import type { Attributes } from 'graphology-types';
import { SupernodeError } from '../errors.js';
import { ROLE_NAMES, ROLE_SOURCE, ROLE_TARGET, ROLE_TIMESTAMP, ROLE_TYPE, ROLE_WEIGHT, roleOf } from './columns.js';
import { type EdgeRecord, type Value, documentText, pushRecord } from './records.js';
import type { EdgeSink } from './sink.js';

type XmlFormat = 'graphml' | 'gexf';
interface XmlElement { lineNumber?: number; columnNumber?: number; getAttribute(name: string): string | null }
interface XmlDocument { getElementsByTagName(name: string): ArrayLike<XmlElement> }
interface GraphLike {
  readonly type: string;
  readonly size: number;
  forEachNode(cb: (node: string) => void): void;
  forEachEdge(cb: (edge: string, attr: Attributes, source: string, target: string) => void): void;
}
type Parse = (Graph: unknown, doc: unknown) => GraphLike;

export async function readGraphml(chunks: AsyncIterable<Uint8Array>, sink: EdgeSink): Promise<{ directed: boolean }> {
  return readXmlGraph('graphml', chunks, sink);
}

export async function readXmlGraph(format: XmlFormat, chunks: AsyncIterable<Uint8Array>, sink: EdgeSink): Promise<{ directed: boolean }> {
  const label = format === 'graphml' ? 'GraphML' : 'GEXF';
  const text = await documentText(chunks, sink.file, label);
  const lib = format === 'graphml' ? 'graphology-graphml' : 'graphology-gexf';
  const require = createRequire(import.meta.url);
  // xmldom from the library's own resolution, so `parse` recognises the Document we hand it.
  const { DOMParser } = createRequire(require.resolve(lib))('@xmldom/xmldom') as { DOMParser: new (o: unknown) => { parseFromString(s: string, t: string): XmlDocument } };
  const { parse } = require(lib) as { parse: Parse };
  const Graph = require('graphology') as { MultiGraph: unknown; Graph: unknown };
  const fail = (msg: string) => {
    const m = /@#\[line:(\d+),col:(\d+)\]/.exec(msg);
    const reason = msg.replace(/^\[xmldom \w+\]\s*/, '').replace(/\s*@#\[line:\d+,col:\d+\]\s*$/s, '').split('\n')[0]!;
    throw SupernodeError.located('INPUT_BAD_GRAPH', `not well-formed XML: ${reason}`, { file: sink.file, ...(m && { line: Number(m[1]), column: Number(m[2]) }) });
  };
  const doc = new DOMParser({ locator: {}, errorHandler: { warning: fail, error: fail, fatalError: fail } }).parseFromString(text, 'application/xml');
  const root = format === 'graphml' ? 'graphml' : 'gexf';
  if (doc.getElementsByTagName(root).length === 0 || doc.getElementsByTagName('graph').length === 0) {
    throw SupernodeError.located('INPUT_BAD_GRAPH', `no <${root}> document with a <graph> element`, { file: sink.file, line: 1, column: 1 });
  }
  const elements = doc.getElementsByTagName('edge');
  let graph: GraphLike;
  try {
    graph = parse(Graph.Graph, doc);
  } catch (err) {
    const m = /edges points to an inexisting node|inexisting/i.test((err as Error).message);
    throw SupernodeError.located('INPUT_BAD_GRAPH', m ? 'an edge names a node the file does not declare' : `unreadable ${label}: ${(err as Error).message}`, { file: sink.file });
  }
  if (graph.size !== elements.length) {
    throw SupernodeError.located('INPUT_BAD_GRAPH', `${elements.length} <edge> elements but ${graph.size} distinct edge ids (an edge id is used twice)`, { file: sink.file });
  }
  graph.forEachNode((id) => { sink.members.intern(id); });
  // Which attribute plays which role: the first name the alias table knows, per role.
  const names = new Map<number, string>();
  graph.forEachEdge((_e, attr) => {
    for (const k of Object.keys(attr)) {
      const r = roleOf(k);
      // The canonical name wins over an alias (an export's `weight` over its `count`).
      if ((r === ROLE_WEIGHT || r === ROLE_TIMESTAMP || r === ROLE_TYPE) && (!names.has(r) || k === ROLE_NAMES[r])) names.set(r, k);
    }
  });
  // GEXF dynamic graphs put an edge's time in its `start` attribute, which graphology-gexf drops.
  // (xmldom answers '' for an absent attribute.)
  const startOf = (el: XmlElement): string | null => (format === 'gexf' ? el.getAttribute('start') || el.getAttribute('timestamp') || null : null);
  let dynamic = false;
  if (format === 'gexf' && !names.has(ROLE_TIMESTAMP)) for (let k = 0; k < elements.length && !dynamic; k++) dynamic = startOf(elements[k]!) !== null;
  if (names.has(ROLE_WEIGHT)) sink.enableWeight();
  if (names.has(ROLE_TIMESTAMP) || dynamic) sink.enableTimestamp();
  if (names.has(ROLE_TYPE)) sink.enableType();
  const wKey = names.get(ROLE_WEIGHT), tKey = names.get(ROLE_TIMESTAMP), yKey = names.get(ROLE_TYPE);
  let k = 0;
  const rec: EdgeRecord = { source: null, target: null };
  graph.forEachEdge((_e, attr, source, target) => {
    const el = elements[k++]!;
    const line = el.lineNumber ?? 0, column = el.columnNumber ?? 0;
    rec.source = source; rec.target = target;
    rec.weight = wKey === undefined ? undefined : attr[wKey] as Value;
    rec.timestamp = tKey !== undefined ? attr[tKey] as Value : dynamic ? startOf(el) : undefined;
    rec.type = yKey === undefined ? undefined : attr[yKey] as Value;
    pushRecord(sink, rec, line, { [ROLE_SOURCE]: column, [ROLE_TARGET]: column, [ROLE_WEIGHT]: column, [ROLE_TIMESTAMP]: column, [ROLE_TYPE]: column });
  });
  return { directed: graph.type !== 'undirected' };
}
