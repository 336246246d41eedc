/**
 * Flags shared by the commands, and their parsing. Kept free of engine imports so that
 * `supernode --help` loads commander and nothing else (engine/cli/main.ts loads each command's
 * module only when that command runs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';
import { SupernodeError } from '../errors.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..', import.meta.url.endsWith('.ts') ? '' : '..');
/** The bundled real dataset `npm start` ranks: UC Irvine messages (datasets/PROVENANCE.md). */
export const DEFAULT_DATASET = { name: 'CollegeMsg', file: path.join(ROOT, 'datasets/CollegeMsg/CollegeMsg.txt.gz'), columns: 'source,target,timestamp' };

/** package.json's version: `supernode --version` and every JSON output's `version`. */
export const VERSION: string = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * Notes about the input (a file that says it is undirected, timestamps read as weights), printed
 * on stderr by main() once the command has succeeded: a failing command keeps to one line.
 */
export const pendingNotes: string[] = [];

/** Input formats (engine/ingest/index.ts INPUT_FORMATS, repeated so --help needs no engine import). */
export const INPUT_FORMAT_CHOICES = ['auto', 'delimited', 'ndjson', 'arrow', 'parquet', 'gml', 'graphml', 'gexf'];
/** Output formats of the ranking commands (engine/export/table.ts OUTPUT_FORMATS). */
export const OUTPUT_FORMAT_CHOICES = ['table', 'json', 'csv', 'arrow', 'parquet'];

/** `--format table|json|csv|arrow|parquet` and `--output FILE` of every ranking command. */
export function outputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', 'output: a table, JSON, or the full ranking as CSV / Arrow IPC stream / Parquet (flat columns)').choices(OUTPUT_FORMAT_CHOICES))
    .option('--json', 'the same as --format json')
    .option('--output <file>', 'write to FILE (temporary file, fsync, rename) instead of stdout');
}

/** `inputFormatFlag`: where a command's own `--format` is its output (export), the input's is `--input-format`. */
export function graphOptions(cmd: Command, inputFormatFlag = '--format'): Command {
  return cmd
    .option('--columns <list>', 'column names in file order, e.g. source,target,timestamp,type (aliases: src/dst, from/to, ts, kind, weight)')
    .option('--undirected', 'treat rows as undirected pairs')
    .option('--unweighted', 'collapse repeated pairs to weight 1')
    .option('--keep-self-loops', 'keep member -> same member rows (dropped and counted by default)')
    .option('--window <duration>', 'only the last DURATION of interactions (30d, 12h, 2w), up to the latest timestamp')
    .option('--from <date>', 'only interactions at or after DATE (ISO 8601 or Unix seconds)')
    .option('--to <date>', 'only interactions before DATE')
    .option('--types <list>', 'only these interaction types, e.g. reply,mention')
    .option('--type-weights <list>', 'weight per interaction type, e.g. forward=3,reply=2,mention=1')
    .option('--skip-bad', 'skip malformed rows (counted, first examples on stderr) instead of failing')
    .addOption(new Option('--time-unit <unit>', 'unit of numeric timestamps').choices(['s', 'ms']))
    .addOption(new Option(`${inputFormatFlag} <format>`, 'input format (default: by extension, then content)').choices(INPUT_FORMAT_CHOICES))
    .option('--dataset <name>', 'read a stored dataset instead of a file')
    .option('--labels <file>', 'member names: a CSV/TSV of id,name rows (header optional, at most 16 MiB), shown beside the ids')
    .option('--data <dir>', 'data directory (default $SUPERNODE_DATA or ./data)')
    .option('--quiet', 'no progress bar or notes on stderr')
    // Defaults in engine/limits.ts CLI_INPUT_LIMITS (repeated here so --help needs no engine import).
    .option('--max-input-bytes <n>', 'refuse input past N decompressed bytes (default 64 GiB)')
    .option('--max-rows <n>', 'refuse input past N edge rows (default 300000000)')
    .option('--max-line-bytes <n>', 'refuse a line longer than N bytes (default 1048576)');
}

export function intOption(v: string, name: string): number {
  const x = Number(v);
  if (!Number.isInteger(x)) throw new SupernodeError('BAD_OPTION', `${name} must be an integer, got "${v}"`);
  return x;
}

/** A positive integer flag (--top, --threads, --k): 0 and negatives are refused. */
export function positiveInt(v: string, name: string): number {
  const x = intOption(v, name);
  if (x < 1) throw new SupernodeError('BAD_OPTION', `${name} must be a positive integer, got "${v}"`);
  return x;
}

export function numOption(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x)) throw new SupernodeError('BAD_OPTION', `${name} must be a number, got "${v}"`);
  return x;
}

