// The README's command examples run as written: every `npx supernode ...` line of its ```sh blocks
// (with the block's variable assignments) goes through the real CLI in a child shell and must exit
// 0. They run in a scratch directory that links `datasets/` (the README names no file outside the
// repository) and `node_modules/`, so the files they write (ego.gexf, ./data, ...) stay out of
// the checkout. `start` (a server) is left out; the HTTP examples have their own tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/reference.js';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** Per block: the assignment lines and the supernode command lines, in order. */
const examples = blocks.map((b) => b.split('\n').filter((l) => /^[A-Z]\w*=/.test(l) || (/^npx supernode\b/.test(l) && !/^npx supernode start\b/.test(l))))
  .filter((lines) => lines.some((l) => l.startsWith('npx supernode')));

describe('README examples', () => {
  it('names no file outside the repository', () => {
    expect(readme).not.toMatch(/\.\.\/shared\b/);
    for (const m of readme.matchAll(/(?:^|\s|`)((?:datasets|test|bench|engine|api|docs)\/[\w./-]+\.\w+)/g)) {
      const p = m[1]!.replace(/[.,;:)]+$/, '');
      if (p.includes('*') || p.includes('<')) continue;
      expect(fs.existsSync(path.join(ROOT, p)), p).toBe(true);
    }
  });

  it('has command examples to run', () => {
    expect(examples.flat().filter((l) => l.startsWith('npx supernode')).length).toBeGreaterThan(10);
  });

  it('every `npx supernode` command exits 0', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-readme-'));
    fs.symlinkSync(path.join(ROOT, 'datasets'), path.join(dir, 'datasets'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    const run = `node --import tsx ${JSON.stringify(path.join(ROOT, 'test/helpers/run-cli.ts'))}`;
    const failures: string[] = [];
    for (const lines of examples) {
      const script = [`supernode() { ${run} "$@"; }`];
      for (const l of lines) {
        if (!l.startsWith('npx supernode')) { script.push(l); continue; }
        const cmd = l.replace(/^npx supernode/, 'supernode');
        script.push(`${cmd.replace(/\s+#.*$/, '')} >/dev/null 2>/tmp/sn-readme-err.$$ || { echo "FAILED $? :: ${l.replace(/\s+#.*$/, '').replace(/["$`\\]/g, '\\$&')} :: $(head -c 400 /tmp/sn-readme-err.$$)"; }`);
      }
      const env: Record<string, string> = { ...process.env as Record<string, string> };
      delete env['SUPERNODE_DATA'];
      const r = spawnSync('bash', ['-c', script.join('\n')], { cwd: dir, encoding: 'utf8', env, maxBuffer: 1 << 24 });
      failures.push(...r.stdout.split('\n').filter((x) => x.startsWith('FAILED')));
      if (r.status !== 0) failures.push(`block exited ${r.status}: ${r.stderr.slice(0, 400)}`);
    }
    expect(failures).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 900_000);
});
