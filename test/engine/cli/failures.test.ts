/**
 * CLI failures leave nothing behind and say what went wrong in one coded line (issue 13 item 10):
 * a bad file stores no dataset, a missing file is INPUT_NOT_FOUND naming it, a port in use is
 * LISTEN_FAILED before the bundled data is stored (engine/cli/commands/store.ts, start.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetStore } from '../../../engine/store/index.js';
import { ROOT } from '../../helpers/reference.js';

const RUN = ['--import', 'tsx', path.join(ROOT, 'test/helpers/run-cli.ts')];

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [...RUN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SUPERNODE_DATA: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

describe('supernode ingest failures', () => {
  it('a bad file stores nothing, and the next good ingest under that name works', async () => {
    const dir = tmp('sn-cli-fail-');
    const data = path.join(dir, 'data');
    fs.writeFileSync(path.join(dir, 'bad.csv'), 'source,target,weight\na,b,1\nb,c,heavy\n');
    fs.writeFileSync(path.join(dir, 'good.csv'), 'source,target,weight\na,b,1\nb,c,2\n');
    const bad = cli('ingest', path.join(dir, 'bad.csv'), '--name', 'forum', '--data', data);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^supernode: INPUT_BAD_WEIGHT: .*bad\.csv:3/);
    expect(await new DatasetStore(data).list()).toEqual([]);
    const good = cli('ingest', path.join(dir, 'good.csv'), '--name', 'forum', '--data', data);
    expect(good.code, good.err).toBe(0);
    expect(good.out).toContain('forum: version 0, 2 rows');
  });

  it('a dataset an older version left empty is filled as if new', async () => {
    const dir = tmp('sn-cli-empty-');
    const data = path.join(dir, 'data');
    await new DatasetStore(data).create('forum', { directed: true });
    fs.writeFileSync(path.join(dir, 'good.csv'), 'source,target\na,b\n');
    const r = cli('ingest', path.join(dir, 'good.csv'), '--name', 'forum', '--data', data);
    expect(r.code, r.err).toBe(0);
    expect((await new DatasetStore(data).describe('forum')).latest).toBe(0);
  });

  it('a missing file is INPUT_NOT_FOUND naming the file; a bad name fails before the file is read', async () => {
    const dir = tmp('sn-cli-missing-');
    const data = path.join(dir, 'data');
    const file = path.join(dir, 'nope.csv');
    const r = cli('ingest', file, '--name', 'forum', '--data', data);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(`supernode: INPUT_NOT_FOUND: ${file}: no such file`);
    expect(await new DatasetStore(data).list()).toEqual([]);
    const name = cli('ingest', file, '--name', '../up', '--data', data);
    expect(name.code).toBe(1);
    expect(name.err).toContain('DATASET_BAD_NAME');
  });
});

describe('supernode start failures', () => {
  it('a port in use is LISTEN_FAILED at once, without a stack and before the bundled data is stored', async () => {
    const taken = net.createServer();
    await new Promise<void>((res) => taken.listen(0, '127.0.0.1', res));
    const port = (taken.address() as net.AddressInfo).port;
    const data = path.join(tmp('sn-cli-port-'), 'data');
    try {
      const child = spawn(process.execPath, [...RUN, 'start', '--port', String(port), '--data', data], { cwd: ROOT, env: { ...process.env, SUPERNODE_DATA: '' } });
      let err = '';
      child.stderr.on('data', (d) => { err += d; });
      const code = await new Promise<number | null>((res) => {
        const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.on('exit', (c) => { clearTimeout(kill); res(c); });
      });
      expect(code).toBe(1);
      expect(err.trim()).toBe(`supernode: LISTEN_FAILED: 127.0.0.1:${port} is in use by another process; choose another with --port (or PORT)`);
      expect(fs.existsSync(data) ? await new DatasetStore(data).list() : []).toEqual([]);
    } finally {
      taken.close();
    }
  });
});
