/**
 * Output for the CLI: the `compute` JSON contract and plain tables.
 *
 * JSON objects keyed by member id are written by hand, key by key through JSON.stringify, never by
 * building a JS object: member ids are data, and an id such as `__proto__` must come out as a key
 * like any other. Non-finite numbers (NaN constraint of an isolated member) become null.
 */
import type { MemberDictionary } from '../ingest/dictionary.js';

export function num(x: number): string {
  return Number.isFinite(x) ? String(x) : 'null';
}

/** `{"id": value, ...}` for a per-node vector, in node index order. */
export function memberObject(members: MemberDictionary, n: number, value: (i: number) => string): string[] {
  const parts: string[] = ['{'];
  for (let i = 0; i < n; i++) parts.push(`${i ? ',' : ''}${JSON.stringify(members.idOf(i))}:${value(i)}`);
  parts.push('}');
  return parts;
}

/** Writes string parts to stdout in large slices, waiting for drain (graphs with millions of members). */
export async function writeParts(parts: string[]): Promise<void> {
  const SLICE = 65536;
  for (let i = 0; i < parts.length; i += SLICE) {
    const ok = process.stdout.write(parts.slice(i, i + SLICE).join(''));
    if (!ok) await new Promise<void>((r) => process.stdout.once('drain', () => r()));
  }
}

export function fmt(x: number, digits = 6): string {
  if (!Number.isFinite(x)) return '-';
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  return x.toPrecision(digits);
}
