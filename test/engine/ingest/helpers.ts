import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let dir: string | null = null;

/** A fresh file under one per-process temp folder (removed at exit). */
export function tmpFile(name: string, content: string | Uint8Array): string {
  if (dir === null) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'supernode-ingest-test-'));
    const d = dir;
    process.on('exit', () => fs.rmSync(d, { recursive: true, force: true }));
  }
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
