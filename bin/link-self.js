#!/usr/bin/env node
// `npx supernode` inside this checkout: npm links the bins of dependencies into node_modules/.bin
// but not the project's own, so `prepare` (run by npm install / npm ci) links it here. Installed as
// a dependency elsewhere, npm's own bin linking applies and this is a no-op.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const binDir = path.join(root, 'node_modules', '.bin');
if (fs.existsSync(path.join(root, 'node_modules')) && !root.split(path.sep).includes('node_modules')) {
  fs.mkdirSync(binDir, { recursive: true });
  const link = path.join(binDir, 'supernode');
  fs.rmSync(link, { force: true });
  fs.symlinkSync(path.relative(binDir, path.join(root, 'bin', 'supernode.js')), link);
}
