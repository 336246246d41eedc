/**
 * engine/store/durable.ts, once, with injected faults through its fs layer (test/fault/faulty-fs.ts
 * over the real disk) and a real full tmpfs when the test runs as root: whatever fails, the target
 * keeps its previous content, no `.tmp-*` is left, and a full disk is STORAGE_FULL (507).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../../engine/errors.js';
import {
  isStaleTemp, setFsLayer, sweepTemps, tempPath, writeFileDurable, writeFileDurableSync, writeTreeDurable,
} from '../../../engine/store/durable.js';
import { type FaultPlan, faultyFs, mountTmpfs, tempsUnder } from '../../fault/faulty-fs.js';

const dirs: string[] = [];
function fresh(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-durable-'));
  dirs.push(d);
  return d;
}
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

let restore: (() => void) | null = null;
function inject(plan: FaultPlan): ReturnType<typeof faultyFs>['stats'] {
  const f = faultyFs(plan);
  restore = setFsLayer(f);
  return f.stats;
}
afterEach(() => { restore?.(); restore = null; });

/** 200 KB of distinct bytes: long enough to need many short writes and to overflow small budgets. */
const BIG = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 31 + 7) & 0xff));

describe('writeFileDurable', () => {
  it('writes the whole content under the final name, with the mode asked, and leaves no temporary', async () => {
    const dir = fresh();
    const file = path.join(dir, 'keys.json');
    await writeFileDurable(file, [Buffer.from('{"a":'), Buffer.from('1}')], { mode: 0o600 });
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(tempsUnder(dir)).toEqual([]);
  });

  it('completes the file across short writes (61 bytes per call)', async () => {
    const dir = fresh();
    const stats = inject({ maxWriteBytes: 61 });
    await writeFileDurable(path.join(dir, 'big.bin'), BIG);
    // Without the loop the file would hold the first 61 bytes (issue 13: writev's bytesWritten ignored).
    expect(fs.readFileSync(path.join(dir, 'big.bin')).equals(BIG)).toBe(true);
    expect(stats.faults).toBeGreaterThan(3000);
  });

  it('a write that stores 0 bytes is an error, never a truncated success', async () => {
    const dir = fresh();
    fs.writeFileSync(path.join(dir, 'f'), 'old');
    inject({ zeroWrite: true });
    await expect(writeFileDurable(path.join(dir, 'f'), BIG)).rejects.toMatchObject({ code: 'EIO' });
    expect(fs.readFileSync(path.join(dir, 'f'), 'utf8')).toBe('old');
    expect(tempsUnder(dir)).toEqual([]);
  });

  for (const code of ['ENOSPC', 'EDQUOT'] as const) {
    it(`${code} mid-file (after a short write) is STORAGE_FULL 507; the old content stays; no temporary`, async () => {
      const dir = fresh();
      fs.writeFileSync(path.join(dir, 'manifest.json'), 'old');
      const stats = inject({ capacityBytes: 50_000, fullCode: code });
      const err = await writeFileDurable(path.join(dir, 'manifest.json'), BIG, { what: 'dataset "d" manifest' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'STORAGE_FULL' });
      expect((err as Error).message).toContain('dataset "d" manifest');
      expect((err as Error).message).toContain(code);
      expect(ERROR_CATALOGUE.STORAGE_FULL.status).toBe(507);
      expect(stats.written).toBe(50_000);
      expect(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')).toBe('old');
      expect(tempsUnder(dir)).toEqual([]);
    });
  }

  it('an fsync failure is not published: the error (EIO, not STORAGE_FULL), old content, no temporary', async () => {
    const dir = fresh();
    fs.writeFileSync(path.join(dir, 'f'), 'old');
    inject({ failSync: 'EIO' });
    await expect(writeFileDurable(path.join(dir, 'f'), 'new')).rejects.toMatchObject({ code: 'EIO' });
    expect(fs.readFileSync(path.join(dir, 'f'), 'utf8')).toBe('old');
    expect(tempsUnder(dir)).toEqual([]);
  });

  it('a rename failure leaves the old content and removes the temporary', async () => {
    const dir = fresh();
    fs.writeFileSync(path.join(dir, 'f'), 'old');
    inject({ failRename: 'EACCES' });
    await expect(writeFileDurable(path.join(dir, 'f'), 'new')).rejects.toMatchObject({ code: 'EACCES' });
    expect(fs.readFileSync(path.join(dir, 'f'), 'utf8')).toBe('old');
    expect(tempsUnder(dir)).toEqual([]);
  });

  it('faults scoped by path hit only matching files', async () => {
    const dir = fresh();
    inject({ match: 'snapshot', capacityBytes: 0 });
    await writeFileDurable(path.join(dir, 'manifest.json'), 'fine');
    await expect(writeFileDurable(path.join(dir, 'snapshot.json'), 'x')).rejects.toMatchObject({ code: 'STORAGE_FULL' });
    expect(fs.readdirSync(dir)).toEqual(['manifest.json']);
  });
});

describe('writeTreeDurable', () => {
  it('publishes the directory whole: both files, no temporary', async () => {
    const dir = fresh();
    inject({ maxWriteBytes: 4096 });
    await writeTreeDurable(path.join(dir, '1'), [{ name: 'members.arrow', data: BIG }, { name: 'snapshot.json', data: [Buffer.from('{"a"'), Buffer.from(':1}')] }]);
    expect(fs.readFileSync(path.join(dir, '1', 'members.arrow')).equals(BIG)).toBe(true);
    expect(fs.readFileSync(path.join(dir, '1', 'snapshot.json'), 'utf8')).toBe('{"a":1}');
    expect(fs.readdirSync(dir)).toEqual(['1']);
  });

  it('ENOSPC in the second file leaves no directory at all, final or temporary', async () => {
    const dir = fresh();
    inject({ capacityBytes: BIG.length + 3 });
    await expect(writeTreeDurable(path.join(dir, '2'), [{ name: 'members.arrow', data: BIG }, { name: 'snapshot.json', data: 'x'.repeat(100) }], { what: 'snapshot d/2' }))
      .rejects.toMatchObject({ code: 'STORAGE_FULL', message: expect.stringContaining('snapshot d/2') });
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('writeFileDurableSync', () => {
  it('loops over short writes and maps ENOSPC, cleaning up, like the async one', () => {
    const dir = fresh();
    const f = faultyFs({ maxWriteBytes: 1000 });
    restore = setFsLayer({ sync: f.sync });
    writeFileDurableSync(path.join(dir, 'a'), BIG);
    expect(fs.readFileSync(path.join(dir, 'a')).equals(BIG)).toBe(true);
    restore();
    const g = faultyFs({ capacityBytes: 10 });
    restore = setFsLayer({ sync: g.sync });
    expect(() => writeFileDurableSync(path.join(dir, 'a'), BIG)).toThrow(expect.objectContaining({ code: 'STORAGE_FULL' }));
    expect(fs.readFileSync(path.join(dir, 'a')).equals(BIG)).toBe(true);
    expect(tempsUnder(dir)).toEqual([]);
  });
});

describe('sweepTemps', () => {
  it('removes a dead writer\'s temporaries at once, keeps a live one\'s and young unnamed ones', async () => {
    const dir = fresh();
    // A pid that has exited: a child that ran and is gone.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const deadTmp = path.basename(tempPath(dir, 'x')).replace(`p${process.pid}-`, `p${dead}-`);
    fs.writeFileSync(path.join(dir, deadTmp), 'torn');
    fs.mkdirSync(path.join(dir, deadTmp.replace('-x', '-3')));
    const mine = tempPath(dir, 'y');
    fs.writeFileSync(mine, 'in flight');
    fs.writeFileSync(path.join(dir, '.tmp-legacy-z'), 'no pid');
    fs.writeFileSync(path.join(dir, 'keep.json'), '{}');
    expect(await isStaleTemp(path.join(dir, deadTmp), 60_000)).toBe(true);
    expect((await sweepTemps(dir, 60_000)).length).toBe(2);
    expect(fs.readdirSync(dir).sort()).toEqual(['.tmp-legacy-z', path.basename(mine), 'keep.json'].sort());
    // Once old enough, a nameless one goes too; this process's own never does by pid.
    const old = new Date(Date.now() - 3_600_000);
    fs.utimesSync(path.join(dir, '.tmp-legacy-z'), old, old);
    expect(await sweepTemps(dir, 60_000)).toEqual([path.join(dir, '.tmp-legacy-z')]);
  });
});

describe('a real full disk (tmpfs)', () => {
  it('a 256 KiB tmpfs: STORAGE_FULL, the old file intact, nothing partial, space usable again', async (t) => {
    const dir = fresh();
    const m = await mountTmpfs(dir, 256 * 1024);
    if (!m.ok) {
      t.skip(m.reason);
      return;
    }
    try {
      await writeFileDurable(path.join(dir, 'manifest.json'), 'old');
      const err = await writeFileDurable(path.join(dir, 'manifest.json'), Buffer.concat([BIG, BIG])).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'STORAGE_FULL' });
      expect(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')).toBe('old');
      expect(tempsUnder(dir)).toEqual([]);
      // The failed write gave its blocks back: a file that fits still lands.
      await writeFileDurable(path.join(dir, 'manifest.json'), BIG);
      expect(fs.readFileSync(path.join(dir, 'manifest.json')).equals(BIG)).toBe(true);
    } finally {
      await m.unmount();
    }
  });
});
