import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSupernodeError } from '../../../engine/errors.js';
import { ingestFile } from '../../../engine/ingest/index.js';
import type { InputLimits } from '../../../engine/limits.js';
import { ROOT } from '../../helpers/reference.js';

/** The malformed corpus: expectations come from the README next to the files. */
const DIR = path.join(ROOT, 'test/fixtures/bad');
const CORPUS = fs.readFileSync(path.join(DIR, 'README.md'), 'utf8').split('\n').flatMap((l) => {
  const m = /^- `([^`]+)`: (\w+) line (\d+); skipBad (?:rows (\d+) skipped (\d+)|(fails))(?:; options ([\w=,]+))?\./.exec(l);
  if (!m) return [];
  // `options maxLineBytes=64,maxRows=3`: input limits small enough for a tiny file (engine/limits.ts).
  const limits = Object.fromEntries((m[7] ?? '').split(',').filter(Boolean).map((kv) => [kv.split('=')[0]!, Number(kv.split('=')[1])]));
  return [{ file: m[1]!, code: m[2]!, line: Number(m[3]), rows: Number(m[4] ?? 0), skipped: Number(m[5] ?? 0), fatal: m[6] !== undefined, limits }];
});

async function failure(p: string, limits: Partial<InputLimits>, skipBad = false): Promise<unknown> {
  try {
    await ingestFile(p, { skipBad, limits });
  } catch (err) {
    return err;
  }
  return null;
}

describe('malformed input corpus', () => {
  it('has at least 40 files, each listed in the README', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(40);
    const files = fs.readdirSync(DIR).filter((f) => f !== 'README.md').sort();
    expect(CORPUS.map((c) => c.file).sort()).toEqual(files);
  });

  it.each(CORPUS.map((c) => [c.file, c] as const))('%s fails strictly with its code at its line', async (_, c) => {
    const p = path.join(DIR, c.file);
    const err = await failure(p, c.limits);
    expect(isSupernodeError(err), String(err)).toBe(true);
    const e = err as { code: string; line?: number; column?: number; file?: string; message: string };
    expect(e.code).toBe(c.code);
    if (c.line > 0) {
      expect(e.line).toBe(c.line);
      expect(e.column).toBeGreaterThanOrEqual(1);
      expect(e.message.startsWith(`${p}:${c.line}:${e.column}: `)).toBe(true);
    }
  });

  it.each(CORPUS.map((c) => [c.file, c] as const))('%s with skipBad skips and counts the bad rows', async (_, c) => {
    const p = path.join(DIR, c.file);
    if (c.fatal) {
      expect((await failure(p, c.limits, true)) as { code: string }).toMatchObject({ code: c.code });
      return;
    }
    const r = await ingestFile(p, { skipBad: true, limits: c.limits });
    expect(r.rows).toBe(c.rows);
    expect(r.skipped).toBe(c.skipped);
    expect(r.badExamples[0]).toMatchObject({ code: c.code, line: c.line, file: p });
  });

  it('keeps only the first 10 examples but counts every bad row', async () => {
    const { tmpFile } = await import('./helpers.js');
    const lines = ['1 2 1'];
    for (let i = 0; i < 25; i++) lines.push(`${i} ${i + 1} bad`);
    const p = tmpFile('many-bad.txt', `${lines.join('\n')}\n`);
    const r = await ingestFile(p, { skipBad: true });
    expect(r.rows).toBe(1);
    expect(r.skipped).toBe(25);
    expect(r.badExamples).toHaveLength(10);
    expect(r.badExamples.map((b) => b.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});
