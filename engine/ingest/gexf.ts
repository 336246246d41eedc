/**
 * GEXF in (Gephi's format, 1.2 and 1.3), with graphology-gexf, through the same path as GraphML
 * (graphml.ts `readXmlGraph`: held whole under GRAPH_DOCUMENT_MAX_BYTES, xmldom positions,
 * member id = node id, fields through the alias table). GEXF specifics: an edge's `weight` and
 * `kind` attributes are its weight and interaction type; its time is a `timestamp`/`time`
 * attvalue or, in a dynamic graph, the edge's `start`; `defaultedgetype` is reported as the
 * declared direction.
 */
import { readXmlGraph } from './graphml.js';
import type { EdgeSink } from './sink.js';

export async function readGexf(chunks: AsyncIterable<Uint8Array>, sink: EdgeSink): Promise<{ directed: boolean }> {
  return readXmlGraph('gexf', chunks, sink);
}
