import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EdgeColumns } from '../../../engine/graph/builder.js';
import { type IngestResult, ingestFile } from '../../../engine/ingest/index.js';
import { DatasetStore } from '../../../engine/store/index.js';
import { ROOT } from '../../helpers/reference.js';

const dirs: string[] = [];
function freshStore(): { store: DatasetStore; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'supernode-store-test-'));
  dirs.push(dir);
  return { store: new DatasetStore(dir), dir };
}
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

function file(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'supernode-store-in-'));
  dirs.push(dir);
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

/** Rows by member id, so results built with different dictionaries compare equal. */
function rowsById(c: EdgeColumns, ids: (i: number) => string): string[] {
  const out: string[] = [];
  for (let i = 0; i < c.source.length; i++) {
    const ty = c.type === null || c.type[i]! < 0 ? '' : c.typeNames[c.type[i]!];
    out.push([ids(c.source[i]!), ids(c.target[i]!), c.weight?.[i] ?? '', c.timestamp?.[i] ?? '', ty].join('|'));
  }
  return out;
}

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function ageAll(dir: string): void {
  const old = new Date(Date.now() - 3600_000);
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) fs.utimesSync(path.join(dir, f), old, old);
}

describe('DatasetStore', () => {
  it('round-trips a dataset exactly: ids, weights, timestamps, types', async () => {
    const { store } = freshStore();
    const r = await ingestFile(file('a.csv', 'source,target,weight,timestamp,type\n"a,1",__proto__,1.5,2024-01-01,reply\n007,7,2,,\n7,"a,1",0.25,1700000000,mention\n'));
    await store.create('chat', { directed: true });
    const v = await store.append('chat', r);
    expect(v).toMatchObject({ version: 0, rows: 3, nodes: 4, addedRows: 3, addedNodes: 4 });
    const back = await store.load('chat');
    expect(back.version).toBe(0);
    expect(back.members.ids()).toEqual(r.members.ids());
    expect(back.columns.source).toEqual(r.columns.source);
    expect(back.columns.target).toEqual(r.columns.target);
    expect(back.columns.weight).toEqual(r.columns.weight);
    expect(back.columns.timestamp).toEqual(r.columns.timestamp);
    expect(rowsById(back.columns, (i) => back.members.idOf(i))).toEqual(rowsById(r.columns, (i) => r.members.idOf(i)));
    expect(back.info).toMatchObject({
      name: 'chat', directed: true, latest: 0, nodes: 4, edges: 3,
      timeSpan: { from: 1700000000000, to: Date.UTC(2024, 0, 1) }, types: ['reply', 'mention'],
    });
    expect((await store.list()).map((d) => d.name)).toEqual(['chat']);
  });

  it('round-trips a committed dataset (wiki-Vote) and reads it back without text parsing', async () => {
    const { store, dir } = freshStore();
    const r = await ingestFile(path.join(ROOT, 'datasets/wiki-Vote/Wiki-Vote.txt.gz'));
    await store.create('wiki', { directed: true });
    await store.append('wiki', r);
    const files = fs.readdirSync(path.join(dir, 'wiki')).sort();
    expect(files).toEqual(['edges-000000.arrow', 'manifest.json', 'members-000000.arrow']);
    const back = await store.load('wiki');
    // Byte comparison: vitest's deep equality walks 100k-element typed arrays slowly.
    expect(sameBytes(back.columns.source, r.columns.source)).toBe(true);
    expect(sameBytes(back.columns.target, r.columns.target)).toBe(true);
    expect(back.members.ids().join('\n')).toBe(r.members.ids().join('\n'));
    expect(back.info).toMatchObject({ nodes: 7115, edges: 103689, timeSpan: null, types: [] });
  });

  it('appends make new versions; earlier versions still load unchanged', async () => {
    const { store } = freshStore();
    await store.create('grow', { directed: false });
    const r0 = await ingestFile(file('0.txt', 'a b 1\nb c 2\n'));
    await store.append('grow', r0);
    const v0 = await store.load('grow');
    // Second batch: ingested against the stored dictionary (indices line up), with a type column.
    const r1 = await ingestFile(file('1.csv', 'source,target,type\nc,d,reply\na,e,\n'), { dictionary: v0.members });
    await store.append('grow', r1);
    // Third batch: ingested with its own dictionary; the store re-interns its ids.
    const r2 = await ingestFile(file('2.txt', 'e a 5\nf b 6\n'));
    const v = await store.append('grow', r2);
    expect(v).toMatchObject({ version: 2, rows: 6, nodes: 6, addedRows: 2, addedNodes: 1 });

    const info = await store.describe('grow');
    expect(info.versions.map((x) => [x.version, x.rows, x.nodes])).toEqual([[0, 2, 3], [1, 4, 5], [2, 6, 6]]);
    expect(info).toMatchObject({ latest: 2, nodes: 6, edges: 6, directed: false, types: ['reply'] });

    const l2 = await store.load('grow');
    const ids = (i: number) => l2.members.idOf(i);
    expect(rowsById(l2.columns, ids)).toEqual(['a|b|1||', 'b|c|2||', 'c|d|1||reply', 'a|e|1||', 'e|a|5||', 'f|b|6||']);
    expect(l2.columns.timestamp).toBeNull();
    expect(l2.columns.nodeCount).toBe(6);

    const old = await store.load('grow', 0);
    expect(old.version).toBe(0);
    expect(old.members.ids()).toEqual(['a', 'b', 'c']);
    expect(rowsById(old.columns, (i) => old.members.idOf(i))).toEqual(['a|b|1||', 'b|c|2||']);
    expect(old.info).toMatchObject({ latest: 0, edges: 2, nodes: 3 });
    const l1 = await store.load('grow', 1);
    expect(l1.columns.type).not.toBeNull();
    expect(l1.members.size).toBe(5);
    await expect(store.load('grow', 3)).rejects.toMatchObject({ code: 'BAD_OPTION' });
  });

  it('validates names against path traversal and reports missing / existing datasets', async () => {
    const { store, dir } = freshStore();
    for (const bad of ['../x', '..', '.', '.hidden', 'a/b', 'a\\b', '', 'x'.repeat(65), 'con sole', '/abs', 'ümlaut']) {
      await expect(store.create(bad, { directed: true })).rejects.toMatchObject({ code: 'DATASET_BAD_NAME' });
      await expect(store.load(bad)).rejects.toMatchObject({ code: 'DATASET_BAD_NAME' });
    }
    expect(fs.readdirSync(dir)).toEqual([]);
    await store.create('ok-1.v2_x', { directed: true });
    await expect(store.create('ok-1.v2_x', { directed: false })).rejects.toMatchObject({ code: 'DATASET_EXISTS' });
    await expect(store.describe('nope')).rejects.toMatchObject({ code: 'DATASET_NOT_FOUND' });
    await expect(store.load('ok-1.v2_x')).rejects.toMatchObject({ code: 'INPUT_EMPTY' });
    await store.delete('ok-1.v2_x');
    await expect(store.describe('ok-1.v2_x')).rejects.toMatchObject({ code: 'DATASET_NOT_FOUND' });
    await expect(store.delete('ok-1.v2_x')).rejects.toMatchObject({ code: 'DATASET_NOT_FOUND' });
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(await new DatasetStore(path.join(dir, 'absent')).list()).toEqual([]);
  });

  it('a crash before the manifest rename is invisible, and its leftovers are swept', async () => {
    const { store, dir } = freshStore();
    await store.create('d', { directed: true });
    await store.append('d', await ingestFile(file('x.txt', '1 2\n2 3\n')));
    const ds = path.join(dir, 'd');
    const before = await store.load('d');
    // Simulate a crash mid-append: a complete chunk pair for version 1, a half-written temp
    // manifest, a stray temp file, and a half-created dataset folder; the manifest is untouched.
    fs.copyFileSync(path.join(ds, 'edges-000000.arrow'), path.join(ds, 'edges-000001.arrow'));
    fs.copyFileSync(path.join(ds, 'members-000000.arrow'), path.join(ds, 'members-000001.arrow'));
    fs.writeFileSync(path.join(ds, '.tmp-1234-manifest.json'), '{"format":"supernode-dat');
    fs.writeFileSync(path.join(ds, '.tmp-99-edges-000001.arrow'), 'ARROW1 half');
    fs.mkdirSync(path.join(dir, '.tmp-abandoned'));
    fs.writeFileSync(path.join(dir, '.tmp-abandoned', 'manifest.json'), '{}');
    ageAll(dir);

    const reopened = new DatasetStore(dir);
    expect((await reopened.list()).map((d) => [d.name, d.latest, d.edges])).toEqual([['d', 0, 2]]);
    const after = await reopened.load('d');
    expect(after.columns.source).toEqual(before.columns.source);
    expect(after.version).toBe(0);
    // The first call swept everything no manifest names.
    expect(fs.readdirSync(ds).sort()).toEqual(['edges-000000.arrow', 'manifest.json', 'members-000000.arrow']);
    expect(fs.readdirSync(dir)).toEqual(['d']);
    // And the next append takes version 1 cleanly.
    const v = await reopened.append('d', await ingestFile(file('y.txt', '3 4\n')));
    expect(v).toMatchObject({ version: 1, rows: 3, nodes: 4 });
  });

  it('young orphans are left alone (they may be another process writing) but still invisible', async () => {
    const { store, dir } = freshStore();
    await store.create('d', { directed: true });
    fs.writeFileSync(path.join(dir, 'd', '.tmp-live-edges-000000.arrow'), 'partial');
    const s2 = new DatasetStore(dir);
    expect((await s2.describe('d')).latest).toBeNull();
    expect(fs.existsSync(path.join(dir, 'd', '.tmp-live-edges-000000.arrow'))).toBe(true);
    expect(await s2.sweepNow(0)).toHaveLength(1);
  });

  it('strict bad input stores nothing', async () => {
    const { store, dir } = freshStore();
    await store.create('strict', { directed: true });
    const bad = file('bad.txt', '1 2 1\n2 3 x\n');
    await expect(ingestFile(bad).then((r: IngestResult) => store.append('strict', r))).rejects.toMatchObject({ code: 'INPUT_BAD_WEIGHT', line: 2 });
    expect((await store.describe('strict')).latest).toBeNull();
    expect(fs.readdirSync(path.join(dir, 'strict'))).toEqual(['manifest.json']);
  });

  it('serialises concurrent appends to one dataset', async () => {
    const { store } = freshStore();
    await store.create('c', { directed: true });
    const rs = await Promise.all([0, 1, 2, 3].map((k) => ingestFile(file(`c${k}.txt`, `n${k} m${k}\nm${k} shared\n`))));
    const vs = await Promise.all(rs.map((r) => store.append('c', r)));
    expect(vs.map((v) => v.version).sort()).toEqual([0, 1, 2, 3]);
    const l = await store.load('c');
    expect(l.columns.source.length).toBe(8);
    expect(l.members.size).toBe(9);
    expect(new Set(l.members.ids()).size).toBe(9);
  });

  it('detects a damaged chunk as STORE_CORRUPT', async () => {
    const { store, dir } = freshStore();
    await store.create('z', { directed: true });
    await store.append('z', await ingestFile(file('z.txt', '1 2\n')));
    fs.writeFileSync(path.join(dir, 'z', 'edges-000000.arrow'), 'not arrow');
    await expect(store.load('z')).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });
});
