/**
 * CSV for the API pages that are not ranking tables (a member's profile, a seeds result): one row
 * per item, nested objects flattened into `parent.key` columns at every depth, lists joined with
 * `;`, never JSON in a cell. Cells go through the shared exporter's escaping
 * (engine/export/table.ts `csvCell`: formula-leading `=`, `+`, `-`, `@`, tab and CR are defused
 * with a `'`; numbers stay numbers). The rankings themselves stream through the exporter's typed
 * tables (api/routes/rankings.ts).
 */
import { csvCell } from '../engine/export/table.js';

function flatten(prefix: string, v: unknown, out: Map<string, unknown>): void {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) flatten(prefix ? `${prefix}.${k}` : k, x, out);
  } else if (Array.isArray(v)) {
    out.set(prefix, v.map((x) => (x !== null && typeof x === 'object' ? Object.values(x as object).map(String).join(':') : String(x))).join(';'));
  } else out.set(prefix, v);
}

export function toCsv(items: readonly unknown[]): string {
  const rows = items.map((it) => {
    const flat = new Map<string, unknown>();
    flatten('', it, flat);
    return flat;
  });
  const cols: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of r.keys()) if (!seen.has(k)) { seen.add(k); cols.push(k); }
  const cell = (v: unknown) => csvCell(v === undefined ? null : typeof v === 'number' || typeof v === 'boolean' || v === null ? v : String(v));
  const lines = [cols.map(cell).join(',')];
  for (const r of rows) lines.push(cols.map((c) => cell(r.get(c))).join(','));
  return `${lines.join('\n')}\n`;
}
