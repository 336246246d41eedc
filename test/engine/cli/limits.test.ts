/**
 * Issue 13 item 1 at the command line: `supernode communities` on the four rows that once spent
 * 2.3 GB and died with `INTERNAL: RangeError` now stops at the first bad timestamp with a located
 * error, answers on the sane rows with --skip-bad, and a 300-year span inside the window gets
 * coarsened weekly activity; the trajectory refuses a step that would cut the span into more
 * windows than engine/limits.ts allows; --max-rows names itself. Each run reports its peak RSS
 * (process.resourceUsage, printed at exit by a preloaded hook) and must stay far below a GB.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_ACTIVITY_BUCKETS, MAX_TRAJECTORY_WINDOWS } from '../../../engine/limits.js';
import { ROOT } from '../../helpers/reference.js';

const FOUR = path.join(ROOT, 'test/fixtures/bad/timestamp-four-rows.csv');
const PEAK = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\npeak-rss-kb='+process.resourceUsage().maxRSS+'\\n'))`;
/** A peak far above a tsx CLI run on four rows (~150-250 MB) and far below the 2.3 GB it took. */
const PEAK_BOUND_KB = 600 * 1024;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', PEAK, path.join(ROOT, 'test/helpers/run-cli.ts'), ...args, ...(args[0] === 'trajectory' ? [] : ['--threads', '1']), '--quiet'], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, SUPERNODE_DATA: '' }, timeout: 120_000,
  });
  const peak = Number(/peak-rss-kb=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { code: r.status, out: r.stdout, err: r.stderr.replace(/\s*peak-rss-kb=\d+\s*$/, ''), peakKb: peak };
}

function span(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-cli-limits-'));
  const p = path.join(dir, 'span.csv');
  fs.writeFileSync(p, 'source,target,timestamp\na,b,1900-01-02\nb,c,2199-12-30\nc,a,2199-12-31\n');
  return p;
}

describe('supernode communities on hostile timestamps', () => {
  it('the four rows of issue 13: a located INPUT_BAD_TIMESTAMP, exit 1, a small peak', () => {
    const r = cli('communities', FOUR);
    expect(r.code, r.err).toBe(1);
    expect(r.err).toMatch(/^supernode: INPUT_BAD_TIMESTAMP: .*timestamp-four-rows\.csv:2:5: "99999999999999999999": timestamp is outside the supported range/);
    expect(r.peakKb).toBeLessThan(PEAK_BOUND_KB);
  }, 130_000);

  it('--skip-bad answers on the two sane rows', () => {
    const r = cli('communities', FOUR, '--skip-bad', '--json');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as { edges: number; communities: { activity: unknown[] }[] };
    expect(out.edges).toBe(2);
    expect(out.communities[0]!.activity.length).toBe(1); // both rows in one week (1700000000 and +100 s)
    expect(r.peakKb).toBeLessThan(PEAK_BOUND_KB);
  }, 130_000);

  it('a 300-year span inside the window: activity coarsened to at most MAX_ACTIVITY_BUCKETS buckets', () => {
    const r = cli('communities', span(), '--json');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as { communities: { activity: { weekStart: string }[] }[] };
    const a = out.communities[0]!.activity;
    expect(a.length).toBeLessThanOrEqual(MAX_ACTIVITY_BUCKETS);
    // 15 653 weeks in 520 buckets: 31 weeks each (ceil(15653 / 520)).
    expect(Date.parse(a[1]!.weekStart) - Date.parse(a[0]!.weekStart)).toBe(31 * 7 * 86400e3);
    expect(r.peakKb).toBeLessThan(PEAK_BOUND_KB);
  }, 130_000);

  it('trajectory refuses a step that cuts the span into more than MAX_TRAJECTORY_WINDOWS windows', () => {
    const r = cli('trajectory', span(), '--member', 'a', '--step', '1d');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^supernode: BAD_OPTION: .*109572 windows; at most ${MAX_TRAJECTORY_WINDOWS}`));
  }, 130_000);

  it('--max-rows and --max-line-bytes are INPUT_LIMIT naming the flag', () => {
    const rows = cli('rank', path.join(ROOT, 'test/fixtures/bad/rows-over-limit.txt'), '--max-rows', '3');
    expect(rows.code).toBe(1);
    expect(rows.err).toMatch(/^supernode: INPUT_LIMIT: .*exceeds 3 edge rows \(the limit; raise it with --max-rows\)/);
    const line = cli('rank', path.join(ROOT, 'test/fixtures/bad/long-line.txt'), '--max-line-bytes', '64');
    expect(line.err).toMatch(/^supernode: INPUT_LIMIT: .*long-line\.txt:2:1: the line is longer than 64 bytes .*--max-line-bytes/);
    expect(cli('rank', FOUR, '--max-rows', '0').err).toMatch(/^supernode: BAD_OPTION: --max-rows must be a positive integer/);
  }, 130_000);
});
