/**
 * CSV for ranking pages: one row per item, nested objects flattened one level (`measures.pagerank`),
 * arrays joined with `;`. Cells starting with = + @ or a tab are prefixed with ' so spreadsheet apps
 * do not run member ids as formulas.
 */
function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s: string;
  if (Array.isArray(v)) s = v.map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x))).join(';');
  else if (typeof v === 'object') s = JSON.stringify(v);
  else s = String(v);
  if (/^[=+@\t]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(items: readonly unknown[]): string {
  const rows = items.map((it) => {
    const flat = new Map<string, unknown>();
    for (const [k, v] of Object.entries(it as Record<string, unknown>)) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        for (const [k2, v2] of Object.entries(v as Record<string, unknown>)) flat.set(`${k}.${k2}`, v2);
      } else flat.set(k, v);
    }
    return flat;
  });
  const cols: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of r.keys()) if (!seen.has(k)) { seen.add(k); cols.push(k); }
  const lines = [cols.map(cell).join(',')];
  for (const r of rows) lines.push(cols.map((c) => cell(r.get(c))).join(','));
  return `${lines.join('\n')}\n`;
}
