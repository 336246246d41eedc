// Writes datasets/forum/edges.csv, the small forum-like file the README's examples use, from the
// bundled real CollegeMsg data (UC Irvine online messages, datasets/CollegeMsg, PROVENANCE.md):
// every 10th message, in file order (so it spans the same six months, 2004-04-15 .. 2004-10-26),
// members renamed u<id>, Unix seconds as ISO 8601. CollegeMsg has no interaction types; each row
// gets one from a seeded generator (mulberry32, seed 14): reply 55%, mention 30%, forward 15%.
// The types are therefore synthetic; who-messaged-whom-when is real. Deterministic: running it
// again writes the same bytes.  Run: node datasets/forum/make-edges.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const src = path.join(here, '../CollegeMsg/CollegeMsg.txt.gz');
const out = path.join(here, 'edges.csv');

function mulberry32(a) {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = mulberry32(14);
const lines = zlib.gunzipSync(fs.readFileSync(src)).toString('utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
const rows = ['source,target,timestamp,type'];
lines.forEach((line, i) => {
  if (i % 10 !== 0) return;
  const [s, t, ts] = line.trim().split(/\s+/);
  const r = rand();
  const type = r < 0.55 ? 'reply' : r < 0.85 ? 'mention' : 'forward';
  rows.push(`u${s},u${t},${new Date(Number(ts) * 1000).toISOString().replace('.000Z', 'Z')},${type}`);
});
fs.writeFileSync(out, `${rows.join('\n')}\n`);
console.log(`${out}: ${rows.length - 1} rows`);
