/**
 * GML (Graph Modelling Language, Himsolt 1997) in, in the form Mark Newman's network files use
 * (datasets/karate-club/karate.gml.gz, football, lesmis): `graph [ directed 0|1 node [ id N
 * label "x" ] ... edge [ source N target M value W ] ... ]`.
 *
 * Grammar: a list of `key value` pairs, value = integer | real | "string" | [ list ]; `#` starts a
 * comment line; strings may span lines and carry HTML entities (&amp; &quot; &#38;). Member id =
 * the node's `label` when it has one, else its `id`, as NetworkX `read_gml` names nodes (so
 * lesmis.gml reads as the same members as lesmis_edges.txt); two nodes with one label, or an edge
 * naming an undeclared node, is INPUT_BAD_GRAPH. Every declared node becomes a member (isolated
 * ones too), in declaration order. Edge weight: `weight` or `value`; `timestamp`/`time` and
 * `type`/`kind` through the shared alias table; other keys (graphics, ...) are ignored.
 * `directed` absent means undirected (the GML default); it is reported, not applied: the caller
 * decides (the CLI suggests --undirected).
 *
 * A document (nodes may follow edges), so it is held whole, under GRAPH_DOCUMENT_MAX_BYTES.
 * Errors name the line and column of the offending token or of the edge's `edge` key.
 */
import { SupernodeError } from '../errors.js';
import { ROLE_SOURCE, ROLE_TARGET, ROLE_TIMESTAMP, ROLE_TYPE, ROLE_WEIGHT, roleOf } from './columns.js';
import { type EdgeRecord, type Value, documentText, pushRecord } from './records.js';
import type { EdgeSink } from './sink.js';

type GmlValue = number | string | GmlList;
interface GmlPair { key: string; value: GmlValue; line: number; column: number }
type GmlList = GmlPair[];

const TOKEN = /\s+|#[^\n]*|\[|\]|"[^"]*"|[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z0-9_]*/y;

/** Whether the first bytes look like GML (`Creator "..."`, `Version 1`, `graph [`), for sniffing. */
export function looksLikeGml(head: string): boolean {
  return /^(?:\s*#[^\n]*\n)*\s*(?:Creator\s+"|Version\s+\d|graph\s*\[)/.test(head);
}

export async function readGml(chunks: AsyncIterable<Uint8Array>, sink: EdgeSink): Promise<{ directed: boolean }> {
  const text = await documentText(chunks, sink.file, 'GML');
  const top = parse(text, sink.file);
  const graphs = top.filter((p) => p.key === 'graph');
  if (graphs.length === 0 || !Array.isArray(graphs[0]!.value)) {
    throw SupernodeError.located('INPUT_BAD_GRAPH', 'no `graph [ ... ]` list', { file: sink.file, line: 1, column: 1 });
  }
  const graph = graphs[0]!.value as GmlList;
  const directed = graph.some((p) => p.key === 'directed' && Number(p.value) === 1);
  const ids = new Map<string, string>();
  const labels = new Set<string>();
  for (const p of graph) {
    if (p.key !== 'node') continue;
    if (!Array.isArray(p.value)) throw bad(sink, p, '`node` is not a list');
    const id = p.value.find((q) => q.key === 'id');
    if (id === undefined || Array.isArray(id.value)) throw bad(sink, p, 'node without an id');
    const label = p.value.find((q) => q.key === 'label');
    const name = label !== undefined && !Array.isArray(label.value) ? String(label.value) : String(id.value);
    if (ids.has(String(id.value))) throw bad(sink, id, `node id ${id.value} declared twice`);
    if (labels.has(name)) throw bad(sink, label ?? id, `two nodes are named "${name}" (member ids must be unique)`);
    ids.set(String(id.value), name);
    labels.add(name);
    sink.members.intern(name);
  }
  const edges = graph.filter((p) => p.key === 'edge');
  const at = new Map<number, string>();
  for (const e of edges) {
    if (!Array.isArray(e.value)) continue;
    for (const q of e.value) {
      const r = q.key === 'value' ? ROLE_WEIGHT : roleOf(q.key);
      if (r === ROLE_WEIGHT || r === ROLE_TIMESTAMP || r === ROLE_TYPE) at.set(r, q.key);
    }
  }
  if (at.has(ROLE_WEIGHT)) sink.enableWeight();
  if (at.has(ROLE_TIMESTAMP)) sink.enableTimestamp();
  if (at.has(ROLE_TYPE)) sink.enableType();
  for (const e of edges) {
    if (!Array.isArray(e.value)) { sink.fail('INPUT_BAD_GRAPH', e.line, e.column, '`edge` is not a list'); continue; }
    const rec: EdgeRecord = { source: null, target: null };
    let line = e.line, column = e.column, unknown: string | null = null;
    for (const q of e.value) {
      if (Array.isArray(q.value)) continue;
      const r = q.key === 'value' ? ROLE_WEIGHT : roleOf(q.key);
      if (r === ROLE_SOURCE || r === ROLE_TARGET) {
        const name = ids.get(String(q.value));
        if (name === undefined && unknown === null) { unknown = `${q.key} ${q.value} is not a declared node id`; line = q.line; column = q.column; }
        if (r === ROLE_SOURCE) rec.source = name; else rec.target = name;
      } else if (r === ROLE_WEIGHT) rec.weight = q.value as Value;
      else if (r === ROLE_TIMESTAMP) rec.timestamp = q.value as Value;
      else if (r === ROLE_TYPE) rec.type = q.value as Value;
    }
    if (unknown !== null) { sink.fail('INPUT_BAD_GRAPH', line, column, unknown); continue; }
    pushRecord(sink, rec, e.line, { 0: e.column, 1: e.column, 2: e.column, 3: e.column, 4: e.column });
  }
  return { directed };
}

function bad(sink: EdgeSink, p: GmlPair, reason: string): SupernodeError {
  return SupernodeError.located('INPUT_BAD_GRAPH', reason, { file: sink.file, line: p.line, column: p.column });
}

/** Tokenises and parses the whole text into nested key-value lists, with each key's position. */
function parse(text: string, file: string): GmlList {
  const stack: GmlList[] = [[]];
  let line = 1, lineStart = 0, pending: { key: string; line: number; column: number } | null = null;
  TOKEN.lastIndex = 0;
  for (let pos = 0; pos < text.length;) {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    const column = pos - lineStart + 1;
    if (m === null) {
      const what = text[pos] === '"' ? 'unclosed string' : `unexpected character ${JSON.stringify(text[pos])}`;
      throw SupernodeError.located('INPUT_BAD_GRAPH', what, { file, line, column });
    }
    const tok = m[0];
    const here = { line, column };
    for (let i = tok.indexOf('\n'); i >= 0; i = tok.indexOf('\n', i + 1)) { line++; lineStart = pos + i + 1; }
    pos += tok.length;
    const c = tok.charCodeAt(0);
    if (c <= 32 || c === 35 /* # */) continue;
    const list = stack[stack.length - 1]!;
    if (pending === null) {
      if (tok === ']') {
        if (stack.length === 1) throw SupernodeError.located('INPUT_BAD_GRAPH', 'unbalanced ]', { file, ...here });
        stack.pop();
        continue;
      }
      if (!/^[A-Za-z_]/.test(tok)) throw SupernodeError.located('INPUT_BAD_GRAPH', `expected a key, got ${tok.slice(0, 40)}`, { file, ...here });
      pending = { key: tok, ...here };
      continue;
    }
    const key = pending;
    pending = null;
    if (tok === '[') {
      const child: GmlList = [];
      list.push({ ...key, value: child });
      stack.push(child);
    } else if (tok === ']') {
      throw SupernodeError.located('INPUT_BAD_GRAPH', `key ${key.key} has no value`, { file, line: key.line, column: key.column });
    } else if (c === 34 /* " */) {
      list.push({ ...key, value: unescape(tok.slice(1, -1)) });
    } else if (/^[A-Za-z_]/.test(tok)) {
      throw SupernodeError.located('INPUT_BAD_GRAPH', `key ${key.key} has no value (next is ${tok})`, { file, line: key.line, column: key.column });
    } else {
      list.push({ ...key, value: Number(tok) });
    }
  }
  if (pending !== null) throw SupernodeError.located('INPUT_BAD_GRAPH', `key ${pending.key} has no value`, { file, line: pending.line, column: pending.column });
  if (stack.length !== 1) throw SupernodeError.located('INPUT_BAD_GRAPH', 'unclosed [ at the end of the file', { file, line, column: 1 });
  return stack[0]!;
}

function unescape(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(?:#(\d+)|#x([0-9a-f]+)|(amp|quot|lt|gt|apos));/gi, (_m, dec: string, hex: string, name: string) => {
    if (dec !== undefined) return String.fromCodePoint(Number(dec));
    if (hex !== undefined) return String.fromCodePoint(parseInt(hex, 16));
    return ({ amp: '&', quot: '"', lt: '<', gt: '>', apos: "'" } as Record<string, string>)[name.toLowerCase()]!;
  });
}
