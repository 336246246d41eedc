// The command-line conventions (issue 14): exit codes and one-line usage errors, --version, plain
// tables on a pipe or under NO_COLOR (a real pseudo-terminal through script(1) for the TTY case),
// no row rules, flag checks, notes about the input, version and seed in JSON, output formats
// (--format csv|arrow|parquet, --output written whole), progress bars naming their stage.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/reference.js';

const RUN = ['--import', 'tsx', path.join(ROOT, 'test/helpers/run-cli.ts')];
const env = (extra: Record<string, string> = {}) => {
  const e: Record<string, string> = { ...process.env as Record<string, string>, SUPERNODE_DATA: path.join(os.tmpdir(), 'sn-cli-unused'), ...extra };
  if (!('NO_COLOR' in extra)) delete e['NO_COLOR'];
  // A person at a terminal: CI=true (set by .ci/run's caller) makes cli-table3's colour detection say
  // "no colour" whatever the TTY, so the terminal case would test CI's environment, not ours.
  for (const k of ['CI', 'FORCE_COLOR']) if (!(k in extra)) delete e[k];
  return e;
};

function cli(args: string[], extra: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [...RUN, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, env: env(extra) });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function cliBytes(args: string[]) {
  const r = spawnSync(process.execPath, [...RUN, ...args], { cwd: ROOT, maxBuffer: 1 << 26, env: env() });
  return { code: r.status, out: r.stdout };
}

/** The CLI on a pseudo-terminal (script -qc), stdout and stderr merged as a terminal shows them. */
function onTty(args: string[], extra: Record<string, string> = {}) {
  const quoted = [process.execPath, ...RUN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const r = spawnSync('script', ['-qec', quoted, '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: env({ COLUMNS: '200', ...extra }) });
  return { code: r.status, out: r.stdout };
}
const hasScript = spawnSync('script', ['-qec', 'true', '/dev/null']).status === 0;

const karate = 'datasets/karate-club/karate_club_edges.txt.gz';
const college = 'datasets/CollegeMsg/CollegeMsg.txt.gz';
const ANSI = /\u001b\[\d+m/;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sn-cli-conv-'));

describe('exit codes and usage errors', () => {
  it('--version prints package.json version and exits 0', () => {
    const r = cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('an unknown flag, a missing argument, a bad choice: one line `supernode: BAD_OPTION: ...`, exit 1, no help dump', () => {
    for (const args of [['rank', karate, '--bogus'], ['compute'], ['rank', karate, '--format', 'xlsx'], ['nosuchcommand']]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.out, args.join(' ')).toBe('');
      const lines = r.err.trim().split('\n');
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0], args.join(' ')).toMatch(/^supernode: BAD_OPTION: /);
    }
    expect(cli(['rank', karate, '--bogus']).err).toContain("unknown option '--bogus'");
  });

  it('--threads 0, --top 0 or negative, --damping outside (0, 1) are refused before any reading', () => {
    for (const args of [['rank', karate, '--threads', '0'], ['rank', karate, '--top', '-3'], ['supernodes', karate, '--top', '0'],
      ['compute', 'pagerank', karate, '--threads', '-1'], ['compute', 'pagerank', karate, '--damping', '1.5'], ['rank', karate, '--max-iterations', '0']]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err, args.join(' ')).toMatch(/^supernode: BAD_OPTION: --(threads|top|damping|max-iterations) must be/);
    }
  });

  it('personalized-pagerank without --sources, and rising on a file without timestamps, are errors', () => {
    const p = cli(['compute', 'personalized-pagerank', karate, '--json']);
    expect(p.code).toBe(1);
    expect(p.err).toMatch(/^supernode: BAD_OPTION: personalized-pagerank needs --sources/);
    const r = cli(['rising', karate, '--undirected']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^supernode: BAD_OPTION: rising .* has no timestamps/);
  });
});

describe('notes about the input', () => {
  it('a third column of Unix timestamps read as weights is pointed out; with --columns it is not', () => {
    const bad = cli(['rank', college, '--top', '1']);
    expect(bad.code).toBe(0);
    expect(bad.err).toMatch(/note: the weight column looks like Unix timestamps .* --columns source,target,timestamp/);
    expect(cli(['rank', college, '--top', '1', '--columns', 'source,target,timestamp']).err).not.toContain('Unix timestamps');
  });

  it('a file whose header says undirected gets --undirected suggested (also GML `directed 0`)', () => {
    expect(cli(['rank', karate, '--top', '1']).err).toMatch(/karate_club_edges\.txt\.gz says its edges are undirected.*--undirected/);
    expect(cli(['rank', karate, '--top', '1', '--undirected']).err).toBe('');
    expect(cli(['rank', 'datasets/les-miserables/lesmis.gml.gz', '--top', '1']).err).toMatch(/lesmis\.gml\.gz says its edges are undirected/);
  });
});

describe('tables', () => {
  it('on a pipe: no colour, no rule between rows', () => {
    const r = cli(['rank', karate, '--top', '5', '--undirected']);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(ANSI);
    const lines = r.out.trim().split('\n');
    // summary line, top border, header, 5 rows, bottom border (cli-table3 draws the header rule
    // with the row-rule characters, so it goes too)
    expect(lines).toHaveLength(9);
    expect(lines.filter((l) => l.startsWith('├'))).toHaveLength(0);
  });

  it.skipIf(!hasScript)('on a terminal: colour; with NO_COLOR set: none', () => {
    const tty = onTty(['rank', karate, '--top', '3', '--undirected']);
    expect(tty.code).toBe(0);
    expect(tty.out).toMatch(ANSI);
    const plain = onTty(['rank', karate, '--top', '3', '--undirected'], { NO_COLOR: '1' });
    expect(plain.code).toBe(0);
    const table = plain.out.slice(plain.out.indexOf('┌'));
    expect(table).not.toMatch(ANSI);
  });

  it.skipIf(!hasScript)('progress bars name their stage (the analysis step running)', () => {
    const r = onTty(['supernodes', karate, '--top', '3', '--undirected']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/supernodes: (pagerank|kcore|reach|communities|betweenness)/);
  });
});

describe('JSON and the output formats', () => {
  it('every JSON output echoes the package version and the seed', () => {
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    for (const args of [['compute', 'pagerank', karate, '--json', '--seed', '7'], ['rank', karate, '--json', '--seed', '7'], ['supernodes', karate, '--format', 'json', '--seed', '7']]) {
      const r = cli([...args, '--undirected']);
      expect(r.code, args.join(' ')).toBe(0);
      expect(JSON.parse(r.out), args.join(' ')).toMatchObject({ version, seed: 7 });
    }
  });

  it('--damping, --tolerance and --max-iterations reach PageRank', () => {
    const base = JSON.parse(cli(['compute', 'pagerank', karate, '--undirected', '--json']).out);
    const low = JSON.parse(cli(['compute', 'pagerank', karate, '--undirected', '--json', '--damping', '0.5']).out);
    expect(low.values['33']).not.toBeCloseTo(base.values['33'], 4);
    const capped = JSON.parse(cli(['compute', 'pagerank', karate, '--undirected', '--json', '--max-iterations', '3']).out);
    expect(capped.diagnostics).toMatchObject({ iterations: 3, converged: false });
    const loose = JSON.parse(cli(['rank', karate, '--undirected', '--json', '--tolerance', '1e-3']).out);
    expect(loose.pagerank.iterations).toBeLessThan(base.diagnostics.iterations);
  });

  it('rank --format csv is the whole ranking (every member) with flat columns; --top limits it', () => {
    const r = cli(['rank', karate, '--undirected', '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe('rank,member,pagerank,in_degree,out_degree,in_strength,out_strength');
    expect(lines).toHaveLength(35);
    expect(cli(['rank', karate, '--undirected', '--format', 'csv', '--top', '3']).out.trim().split('\n')).toHaveLength(4);
  });

  it('supernodes as CSV: one column per measure and per component value/percentile/share, no JSON in a cell', () => {
    const r = cli(['supernodes', karate, '--undirected', '--format', 'csv']);
    const [head, ...rows] = r.out.trim().split('\n');
    const cols = head!.split(',');
    expect(cols.slice(0, 4)).toEqual(['id', 'rank', 'score', 'community']);
    for (const c of ['influence', 'reach', 'embeddedness', 'brokerage']) expect(cols).toEqual(expect.arrayContaining([`${c}_value`, `${c}_percentile`, `${c}_share`]));
    expect(rows).toHaveLength(34);
    expect(r.out).not.toMatch(/[{[]/);
  });

  it('--output writes the file whole (no temporary left); arrow and parquet read back', async () => {
    const dir = tmp();
    const csv = path.join(dir, 'rank.csv');
    expect(cli(['rank', karate, '--undirected', '--output', csv]).code).toBe(0); // format from the extension
    expect(fs.readFileSync(csv, 'utf8').split('\n')[0]).toBe('rank,member,pagerank,in_degree,out_degree,in_strength,out_strength');
    const arrow = path.join(dir, 'sn.arrow');
    expect(cli(['supernodes', karate, '--undirected', '--format', 'arrow', '--output', arrow]).code).toBe(0);
    const t = tableFromIPC(fs.readFileSync(arrow));
    expect(t.numRows).toBe(34);
    expect(t.getChild('rank')!.get(0)).toBe(1);
    const pq = path.join(dir, 'roles.parquet');
    expect(cli(['roles', karate, '--undirected', '--format', 'parquet', '--output', pq]).code).toBe(0);
    const buf = fs.readFileSync(pq);
    const rows = await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) });
    expect(rows).toHaveLength(34);
    expect(Object.keys(rows[0]!)).toEqual(['id', 'community', 'role', 'z', 'participation']);
    expect(fs.readdirSync(dir).sort()).toEqual(['rank.csv', 'roles.parquet', 'sn.arrow']);
    // arrow on stdout (a pipe) is allowed too
    const piped = cliBytes(['compute', 'kcore', karate, '--undirected', '--format', 'arrow']);
    expect(tableFromIPC(piped.out).numRows).toBe(34);
  });

  it('communities in JSON carry ISO 8601 week starts', () => {
    const r = cli(['communities', college, '--columns', 'source,target,timestamp', '--format', 'json', '--top', '1', '--threads', '1']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).communities[0].activity[0].weekStart).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/);
  });
});
