/**
 * NetworkX as the peer for graph exports: Debian's python3-networkx under /usr/bin/python3
 * (.ci/run installs it). `hasNetworkx` is false without it, and the tests that need it skip,
 * saying so on stderr.
 */
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';
export const hasNetworkx = spawnSync(PYTHON, ['-c', 'import networkx'], { stdio: 'ignore' }).status === 0;
if (!hasNetworkx) console.warn('NetworkX checks SKIPPED: /usr/bin/python3 cannot import networkx (apt-get install -y python3-networkx)');

/**
 * Reads a whitespace edge list (gzip) as NetworkX would for supernode's undirected view: a DiGraph
 * of the rows, self-loops dropped, then undirected pairs with weight = arcs between the two; takes
 * `ego_graph(U, center, radius)` (or `U.subgraph(members)`) and compares it with the exported file.
 */
const COMPARE = `
import gzip, json, sys
import networkx as nx
src, exported, fmt, spec = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
D = nx.DiGraph()
with gzip.open(src, 'rt') as f:
    for line in f:
        if not line.strip() or line.startswith('#'): continue
        u, v = line.split()[:2]
        D.add_node(u); D.add_node(v)
        if u != v: D.add_edge(u, v)
U = nx.Graph()
U.add_nodes_from(D.nodes)
for u, v in D.edges:
    w = U.edges[u, v]['weight'] + 1 if U.has_edge(u, v) else 1
    U.add_edge(u, v, weight=w)
E = nx.ego_graph(U, spec['center'], radius=spec['radius']) if 'center' in spec else U.subgraph(spec['members'])
H = nx.read_graphml(exported) if fmt == 'graphml' else nx.read_gexf(exported)
key = lambda u, v: (min(u, v), max(u, v))
want = {key(u, v): d['weight'] for u, v, d in E.edges(data=True)}
got = {key(u, v): d.get('weight') for u, v, d in H.edges(data=True)}
counts = {key(u, v): d.get('count') for u, v, d in H.edges(data=True)}
print(json.dumps({
  'sameNodes': set(E.nodes) == set(H.nodes), 'nodes': H.number_of_nodes(), 'wantNodes': E.number_of_nodes(),
  'sameTies': set(want) == set(got), 'ties': len(got), 'wantTies': len(want),
  'weightsEqual': all(float(got[k]) == float(want[k]) for k in want if k in got),
  'countsEqual': all(float(counts[k]) == float(want[k]) for k in want if k in counts),
  'directed': H.is_directed(),
  'attributes': {n: d for n, d in H.nodes(data=True)},
}))
`;

export interface Comparison {
  sameNodes: boolean; nodes: number; wantNodes: number; sameTies: boolean; ties: number; wantTies: number;
  weightsEqual: boolean; countsEqual: boolean; directed: boolean;
  /** Node attributes as NetworkX read them. */
  attributes: Record<string, Record<string, unknown>>;
}

export function compareWithNetworkx(source: string, exported: string, format: 'graphml' | 'gexf',
  spec: { center: string; radius: number } | { members: readonly string[] }): Comparison {
  const py = spawnSync(PYTHON, ['-c', COMPARE, source, exported, format, JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (py.status !== 0) throw new Error(`networkx comparison failed: ${py.stderr}`);
  return JSON.parse(py.stdout) as Comparison;
}
