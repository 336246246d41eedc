/** Shared by the API tests: an app on a fresh data directory with known keys, and small helpers. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp } from '../../api/app.js';

export const ADMIN = 'test-admin-key';
export const WRITER = 'test-write-key';
export const READER = 'test-read-key';
export const auth = (key: string) => ({ authorization: `Bearer ${key}` });

export function tempDir(prefix = 'sn-api-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function testApp(over: Partial<AppOptions> = {}): Promise<{ app: FastifyInstance; dataDir: string }> {
  const dataDir = over.dataDir ?? tempDir();
  const app = await buildApp({
    dataDir, threads: 1, underPressure: false, testHooks: true,
    keys: [{ key: ADMIN, scope: 'admin' }, { key: WRITER, scope: 'write' }, { key: READER, scope: 'read' }],
    ...over,
    // waitJob polls every 25 ms: the default per-key rate limit would cut a slow job's wait short.
    limits: { rateLimit: 1_000_000, ...over.limits },
  });
  await app.ready();
  return { app, dataDir };
}

export async function waitJob(app: FastifyInstance, jobId: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const t0 = Date.now();
  for (;;) {
    const r = await app.inject({ method: 'GET', url: `/v1/jobs/${jobId}`, headers: auth(READER) });
    const j = r.json() as Record<string, unknown>;
    if (['succeeded', 'failed', 'cancelled'].includes(j['state'] as string)) return j;
    if (Date.now() - t0 > timeoutMs) throw new Error(`job ${jobId} still ${j['state']}`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

/** A small directed graph with two clear groups joined by one bridge. */
export const SMALL_CSV = [
  'source,target,weight,timestamp',
  'a,b,1,1700000000', 'b,c,2,1700000100', 'c,a,1,1700000200', 'd,a,1,1700000300',
  'e,f,1,1700000400', 'f,g,1,1700000500', 'g,e,3,1700000600', 'c,e,1,1700000700', '__proto__,a,1,1700000800',
].join('\n');
