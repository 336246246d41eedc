/** `--labels FILE`: member names beside ids in tables and JSON rows (engine/cli/labels.ts); real files, real child processes. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/reference.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-labels-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/helpers/run-cli.ts'), ...args, '--quiet'], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, SUPERNODE_DATA: path.join(dir, 'data'), COLUMNS: '200' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// A star into "a" plus a triangle: "a" ranks first by PageRank (every other member points at it).
const edges = write('edges.csv', 'source,target\nb,a\nc,a\nd,a\ne,a\nb,c\nc,d\nd,b\n');
// Header, a quoted name holding a comma and a quote, "e" left without a label.
const labels = write('labels.csv', 'id,name\na,"Ada Lovelace, Countess"\nb,Bob\n"c","Carol ""CJ"""\nd,Dan\n');

describe('--labels', () => {
  it('rank --json rows carry "label" for labelled ids and none for the rest', () => {
    const r = cli('rank', edges, '--labels', labels, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const rows = (JSON.parse(r.out) as { top: { member: string; label?: string }[] }).top;
    const byId = new Map(rows.map((x) => [x.member, x]));
    expect(rows[0]!.member).toBe('a');
    expect(byId.get('a')!.label).toBe('Ada Lovelace, Countess');
    expect(byId.get('c')!.label).toBe('Carol "CJ"');
    expect(byId.get('e')).not.toHaveProperty('label');
  });

  it('rank and compute tables get a name column after the member; an unlabelled id shows its id only', () => {
    for (const args of [['rank', edges], ['compute', 'pagerank', edges]]) {
      const r = cli(...args, '--labels', labels);
      expect(r.code).toBe(0);
      const lines = r.out.split('\n');
      expect(lines.find((l) => /\bmember\b/.test(l))).toMatch(/member\s*│\s*name/);
      expect(lines.find((l) => /│\s*a\s*│/.test(l))).toContain('Ada Lovelace, Countess');
      const e = lines.find((l) => /│\s*e\s*│/.test(l))!;
      expect(e).toMatch(/│\s*e\s*│\s*│/); // empty name cell
    }
    // Without --labels the table is as before: no name column.
    expect(cli('rank', edges).out).not.toMatch(/│\s*name\s*│/);
  });

  it('a TSV without a header reads the same; report supernodes --json rows carry "label"', () => {
    const tsv = write('labels.tsv', 'a\tAda\nb\tBob\n');
    const r = cli('supernodes', edges, '--labels', tsv, '--json');
    expect(r.code).toBe(0);
    const rows = (JSON.parse(r.out) as { supernodes: { id: string; label?: string }[] }).supernodes;
    expect(rows.find((m) => m.id === 'a')!.label).toBe('Ada');
    expect(rows.find((m) => m.id === 'c')).not.toHaveProperty('label');
  });

  it('bad labels files fail with a located, coded error before the edges are read', () => {
    const cases: [string, string, RegExp][] = [
      ['short.csv', 'id,name\na,Ada\nb\n', /INPUT_COLUMN_COUNT: .*short\.csv:3: /],
      ['empty-id.csv', 'a,Ada\n,Nobody\n', /INPUT_EMPTY_ID: .*empty-id\.csv:2: /],
      ['twice.csv', 'a,Ada\nb,Bob\na,Again\n', /INPUT_BAD_ID: .*twice\.csv:3: .*first on line 1/],
      ['quote.csv', 'a,Ada\nb,"Bob\n', /INPUT_BAD_QUOTE: .*quote\.csv/],
      ['long.csv', `a,${'x'.repeat(513)}\n`, /INPUT_LIMIT: .*long\.csv:1: .*512-character bound/],
    ];
    for (const [name, text, want] of cases) {
      const r = cli('rank', edges, '--labels', write(name, text));
      expect(r.code, name).not.toBe(0);
      expect(r.err, name).toMatch(want);
    }
    const missing = cli('rank', edges, '--labels', path.join(dir, 'nope.csv'));
    expect(missing.code).not.toBe(0);
    expect(missing.err).toMatch(/INPUT_NOT_FOUND: .*nope\.csv/);
  });

  it('ingest --labels stores them with the dataset (labels.json): --dataset commands show them, a later ingest without --labels keeps them', () => {
    const data = path.join(dir, 'store');
    const ing = cli('ingest', edges, '--name', 'club', '--labels', labels, '--data', data);
    expect(ing.err).toBe('');
    expect(ing.code).toBe(0);
    expect(ing.out).toContain('4 labels');
    expect(fs.existsSync(path.join(data, 'club', 'labels.json'))).toBe(true);
    const more = write('more.csv', 'source,target\nf,a\n');
    expect(cli('ingest', more, '--name', 'club', '--data', data).code).toBe(0);
    const r = cli('rank', '--dataset', 'club', '--data', data, '--json');
    expect(r.code).toBe(0);
    const rows = (JSON.parse(r.out) as { top: { member: string; label?: string }[] }).top;
    expect(rows.find((x) => x.member === 'a')!.label).toBe('Ada Lovelace, Countess');
    expect(rows.find((x) => x.member === 'f')).not.toHaveProperty('label');
    // --labels on the command wins over the stored ones for that run.
    const other = write('other.csv', 'a,Annie\n');
    const o = JSON.parse(cli('rank', '--dataset', 'club', '--data', data, '--json', '--labels', other).out) as { top: { member: string; label?: string }[] };
    expect(o.top.find((x) => x.member === 'a')!.label).toBe('Annie');
    expect(o.top.find((x) => x.member === 'b')).not.toHaveProperty('label');
    // A bad labels file fails the ingest before anything is stored.
    const bad = cli('ingest', edges, '--name', 'fresh', '--labels', write('bad.csv', 'a\n'), '--data', data);
    expect(bad.err).toMatch(/INPUT_COLUMN_COUNT: .*bad\.csv:1: /);
    expect(fs.existsSync(path.join(data, 'fresh'))).toBe(false);
  });

  it('a labels file past 16 MiB is refused with INPUT_LIMIT (the documented bound)', () => {
    const big = path.join(dir, 'big.csv');
    fs.writeFileSync(big, Buffer.alloc(16 * 2 ** 20 + 1, 0x61));
    const r = cli('rank', edges, '--labels', big);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/INPUT_LIMIT: .*16 MiB/);
  });
});
