/**
 * The malformed-input corpus (test/fixtures/bad/README.md) through the HTTP upload: every file is
 * rejected with its code's status (400; 413 for a limit), its code and line, and nothing is
 * stored. Cases that need small input limits (`options`) are the engine test's; the server's
 * limits have their own tests (input-limits.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ERROR_CATALOGUE, type ErrorCode } from '../../engine/errors.js';
import { auth, READER, testApp, WRITER } from './helpers.js';

const DIR = path.resolve(import.meta.dirname, '../fixtures/bad');
const CASES = fs.readFileSync(path.join(DIR, 'README.md'), 'utf8').split('\n')
  .map((l) => /^- `([^`]+)`: (\w+) line (\d+);/.exec(l))
  .filter((m): m is RegExpExecArray => m !== null && !m.input.includes('; options '))
  .map((m) => ({ file: m[1]!, code: m[2]!, line: Number(m[3]) }));

function contentType(file: string): Record<string, string> {
  const base = file.replace(/\.gz$/, '');
  const type = base.endsWith('.csv') ? 'text/csv' : base.endsWith('.ndjson') ? 'application/x-ndjson' : 'text/plain';
  return { 'content-type': type, ...(file.endsWith('.gz') && { 'content-encoding': 'gzip' }) };
}

describe('bad uploads (fixture corpus)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await testApp());
    await app.inject({ method: 'POST', url: '/v1/datasets', headers: auth(WRITER), payload: { name: 'bad' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('has a corpus of at least 20 files', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
  });

  it.each(CASES)('$file -> 400 $code at line $line', async ({ file, code, line }) => {
    const r = await app.inject({
      method: 'POST', url: '/v1/datasets/bad/edges', headers: { ...auth(WRITER), ...contentType(file) },
      payload: fs.readFileSync(path.join(DIR, file)),
    });
    expect(r.statusCode, r.body).toBe(ERROR_CATALOGUE[code as ErrorCode].status);
    const body = r.json();
    expect(body.code).toBe(code);
    if (line > 0) {
      expect(body.line).toBe(line);
      expect(body.message).toMatch(new RegExp(`:${line}(:\\d+)?: `));
    }
  });

  it('stored nothing', async () => {
    const d = (await app.inject({ url: '/v1/datasets/bad', headers: auth(READER) })).json();
    expect(d.latest).toBeNull();
    expect(d.versions).toHaveLength(0);
  });
});
