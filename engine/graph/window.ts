/**
 * Time windows over interaction timestamps, shared by the CLI, the analysis and the API.
 * A relative window (`30d`) ends at the latest interaction in the data, not at the wall clock, so
 * a historical export still gives its last month.
 */
import { SupernodeError } from '../errors.js';
import type { BuildOptions, EdgeColumns } from './builder.js';

export interface WindowFlags {
  readonly window?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/**
 * Longest window, 1000 years: it covers any data the timestamp bounds admit (engine/limits.ts: 300
 * years), and a window start computed from it stays a valid date (a 10^20-day window once reached
 * the analysis as an Invalid Date and failed the job INTERNAL).
 */
export const MAX_WINDOW_MS = 1000 * 365.25 * 86400e3;

/** `30d`, `12h`, `2w` -> milliseconds. `label` names the option in the error (the API says `window`). */
export function parseDuration(text: string, label = '--window'): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!m) throw new SupernodeError('BAD_OPTION', `${label} "${text}" is not a duration such as 30d, 12h or 2w`);
  const unit = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 }[m[2] as 'ms'];
  const ms = Number(m[1]) * unit;
  if (!(ms <= MAX_WINDOW_MS)) throw new SupernodeError('BAD_OPTION', `${label} "${text}" is longer than 1000 years`);
  return ms;
}

export function parseTime(text: string, flag: string): number {
  const t = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text);
  if (!Number.isFinite(t)) throw new SupernodeError('BAD_OPTION', `${flag} "${text}" is not a date (ISO 8601) or Unix seconds`);
  return t;
}

/**
 * The time window: `--window 30d` means the 30 days up to and including the latest interaction in
 * the data (not the wall clock, so a historical file still gives its last month); `--from/--to`
 * give explicit bounds, `--to` exclusive.
 */
export function resolveWindow(flags: WindowFlags, columns: EdgeColumns): BuildOptions['window'] {
  if (flags.window === undefined && flags.from === undefined && flags.to === undefined) return undefined;
  const ts = columns.timestamp;
  if (ts === null) {
    throw new SupernodeError('BAD_OPTION', 'a time window needs timestamps: add --columns source,target,timestamp (or a header naming one)');
  }
  let from = flags.from !== undefined ? parseTime(flags.from, '--from') : -Infinity;
  let to = flags.to !== undefined ? parseTime(flags.to, '--to') : Infinity;
  if (flags.window !== undefined) {
    let latest = -Infinity;
    for (let i = 0; i < ts.length; i++) if (ts[i]! > latest && ts[i]! < to) latest = ts[i]!;
    to = Math.min(to, latest + 1);
    from = Math.max(from, latest + 1 - parseDuration(flags.window));
  }
  return { from, to };
}

