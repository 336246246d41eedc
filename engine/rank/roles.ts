/**
 * Guimera-Amaral roles: provincial hubs vs connector hubs, peripheral vs kinless members.
 *
 * Reference: R. Guimera, L. A. N. Amaral, "Functional cartography of complex metabolic networks",
 * Nature 433, 895-900 (2005), doi:10.1038/nature03288.
 * Definitions, on the undirected view (an interaction either way links two members), degree =
 * distinct neighbours (the paper's unweighted degree; `weighted: true` uses strengths instead):
 * - within-community degree z-score z_i = (k_i,s_i - mean_s) / sd_s, where k_i,s_i counts i's
 *   neighbours inside its own community s_i and mean_s / sd_s are the mean and population standard
 *   deviation of that count over the members of s_i. sd_s = 0 (all equal, or a singleton) gives 0.
 * - participation coefficient P_i = 1 - sum_s (k_i,s / k_i)^2 over all communities s; 0 for an
 *   isolated member.
 * Roles: non-hubs (z < 2.5): R1 ultra-peripheral P <= 0.05, R2 peripheral 0.05 < P <= 0.62,
 * R3 non-hub connector 0.62 < P <= 0.80, R4 non-hub kinless P > 0.80; hubs (z >= 2.5): R5
 * provincial hub P <= 0.30, R6 connector hub 0.30 < P <= 0.75, R7 kinless hub P > 0.75.
 * Complexity: O(n + m) with a per-member scratch list of the communities it touches.
 * Input membership: community index per node (>= 0); any non-negative labels are accepted.
 */
import type { CsrGraph } from '../graph/csr.js';
import { undirectedView } from '../graph/builder.js';
import { seconds } from '../algorithms/control.js';
import { SupernodeError } from '../errors.js';

export const ROLE_NAMES = [
  '', 'ultra-peripheral', 'peripheral', 'non-hub connector', 'non-hub kinless',
  'provincial hub', 'connector hub', 'kinless hub',
] as const;

export interface RolesOptions {
  readonly weighted: boolean;
  /** z threshold for hubs (the paper's 2.5). */
  readonly hubZ: number;
}

export const ROLES_DEFAULTS: RolesOptions = Object.freeze({ weighted: false, hubZ: 2.5 });

export interface RolesResult {
  readonly z: Float64Array;
  readonly participation: Float64Array;
  /** 1..7 for R1..R7. */
  readonly role: Int32Array;
  /** Distinct communities among each member's neighbours. */
  readonly communitiesLinked: Int32Array;
  readonly seconds: number;
}

export function roleOf(z: number, p: number, hubZ = 2.5): number {
  if (z < hubZ) return p <= 0.05 ? 1 : p <= 0.62 ? 2 : p <= 0.8 ? 3 : 4;
  return p <= 0.3 ? 5 : p <= 0.75 ? 6 : 7;
}

export function roles(g: CsrGraph & { weighted?: boolean }, membership: Int32Array, options: Partial<RolesOptions> = {}): RolesResult {
  const t0 = performance.now();
  const o = { ...ROLES_DEFAULTS, ...options };
  const u = undirectedView(g);
  const n = u.n;
  if (membership.length !== n) throw new SupernodeError('BAD_OPTION', `membership has ${membership.length} entries for ${n} members`);
  let c = 0;
  for (let i = 0; i < n; i++) {
    if (membership[i]! < 0) throw new SupernodeError('BAD_OPTION', `member ${i} has no community (${membership[i]})`);
    c = Math.max(c, membership[i]! + 1);
  }
  const off = u.outOffsets, adj = u.outTargets, w = o.weighted ? u.outWeights : null;
  const kIn = new Float64Array(n), part = new Float64Array(n), linked = new Int32Array(n);
  const perComm = new Float64Array(c);
  const touched = new Int32Array(c), seen = new Int32Array(c);
  for (let i = 0; i < n; i++) {
    let nt = 0, k = 0;
    for (let e = off[i]!; e < off[i + 1]!; e++) {
      const s = membership[adj[e]!]!;
      const x = w === null ? 1 : w[e]!;
      if (seen[s] !== i + 1) { seen[s] = i + 1; touched[nt++] = s; }
      perComm[s]! += x;
      k += x;
    }
    let sq = 0;
    for (let t = 0; t < nt; t++) {
      const s = touched[t]!;
      sq += (perComm[s]! / k) ** 2;
    }
    kIn[i] = perComm[membership[i]!]!;
    part[i] = k > 0 ? 1 - sq : 0;
    linked[i] = nt;
    for (let t = 0; t < nt; t++) perComm[touched[t]!] = 0;
  }
  const sum = new Float64Array(c), sumSq = new Float64Array(c), size = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    const s = membership[i]!;
    sum[s]! += kIn[i]!;
    sumSq[s]! += kIn[i]! * kIn[i]!;
    size[s]!++;
  }
  const z = new Float64Array(n), role = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = membership[i]!;
    const mean = sum[s]! / size[s]!;
    const variance = Math.max(0, sumSq[s]! / size[s]! - mean * mean);
    const sd = Math.sqrt(variance);
    // Tiny sd from rounding of equal values would turn 0/0 into noise.
    z[i] = sd > 1e-12 * Math.max(1, Math.abs(mean)) ? (kIn[i]! - mean) / sd : 0;
    role[i] = roleOf(z[i]!, part[i]!, o.hubZ);
  }
  return { z, participation: part, role, communitiesLinked: linked, seconds: seconds(t0) };
}
