/**
 * The graph-document formats (GML, GraphML, GEXF): how they are recognised from their first
 * bytes, and their readers, loaded only when one is read (graphology and xmldom are not on the
 * edge-list path). Also what an edge list's leading comments say of its direction (SNAP writes
 * `# Undirected graph: ...` or `# Directed graph ...`), which the CLI turns into a suggestion.
 */
import { looksLikeGml } from './gml.js';
import type { EdgeSink } from './sink.js';

export type DocumentFormat = 'gml' | 'graphml' | 'gexf';

export function sniffDocument(head: string): DocumentFormat | null {
  const h = head.replace(/^\uFEFF/, '');
  if (/^\s*</.test(h)) {
    if (/<graphml[\s>]/.test(h)) return 'graphml';
    if (/<gexf[\s>]/.test(h)) return 'gexf';
    return null;
  }
  return looksLikeGml(h) ? 'gml' : null;
}

export async function readGraphDocument(format: DocumentFormat, chunks: AsyncIterable<Uint8Array>, sink: EdgeSink): Promise<{ directed: boolean }> {
  if (format === 'gml') return (await import('./gml.js')).readGml(chunks, sink);
  return (await import('./graphml.js')).readXmlGraph(format, chunks, sink);
}

/** false when the leading `#`/`%` comment lines say "undirected", true for "directed", else null. */
export function commentDirection(head: Buffer): boolean | null {
  const text = head.toString('utf8', 0, Math.min(head.length, 8192));
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '') continue;
    if (t[0] !== '#' && t[0] !== '%') return null;
    if (/\bundirected\b/i.test(t)) return false;
    if (/\bdirected\b/i.test(t)) return true;
  }
  return null;
}
