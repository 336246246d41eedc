/** `supernode ingest` and `supernode datasets`: the data directory from the command line. */
import path from 'node:path';
import Table from 'cli-table3';
import { ingestFile } from '../../ingest/index.js';
import { checkName, DatasetStore } from '../../store/index.js';
import { dataDir, type GraphFlags, inputLimits } from '../load.js';
import { fmt } from '../output.js';
import { readLabels } from '../labels.js';
import { writeDatasetLabels } from '../../store/labels.js';

/**
 * Reads the whole file first and creates the dataset only once it parsed: a bad file leaves
 * nothing behind (no empty dataset that would make the next ingest under that name fail). A
 * dataset left empty by an older version is filled as if new.
 */
export async function ingest(file: string, flags: GraphFlags & { name?: string }): Promise<void> {
  const store = new DatasetStore(dataDir(flags.data));
  const name = flags.name ?? path.basename(file).replace(/\.(gz)$/, '').replace(/\.[^.]+$/, '');
  checkName(name); // before the file is read, not after
  const labels = flags.labels !== undefined ? readLabels(flags.labels) : null; // a bad labels file fails before the edges are read
  const existing = (await store.list()).find((d) => d.name === name);
  const r = await ingestFile(file, {
    ...(flags.columns !== undefined && { columns: flags.columns.split(',').map((s) => s.trim()) }),
    ...(flags.skipBad !== undefined && { skipBad: flags.skipBad }),
    limits: inputLimits(flags),
    ...(flags.timeUnit !== undefined && { timeUnit: flags.timeUnit }),
    ...(existing !== undefined && existing.latest !== null && { dictionary: (await store.load(name)).members }),
  });
  const info = existing ?? await store.create(name, { directed: !flags.undirected });
  const v = await store.append(info.name, r);
  // After the edges are committed: labels describe members, and a new --labels replaces the old.
  if (labels !== null) await writeDatasetLabels(store.dataDir, info.name, labels);
  process.stdout.write(`${info.name}: version ${v.version}, ${fmt(r.rows)} rows${r.skipped ? ` (${r.skipped} skipped)` : ''}, ${fmt(v.nodes)} members, stored in ${dataDir(flags.data)}${labels === null ? '' : `; ${fmt(labels.size)} labels`}\n`);
}

export async function datasets(flags: { data?: string; json?: boolean }): Promise<void> {
  const list = await new DatasetStore(dataDir(flags.data)).list();
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(list)}\n`);
    return;
  }
  const t = new Table({ head: ['dataset', 'directed', 'versions', 'members', 'rows'] });
  for (const d of list) t.push([d.name, d.directed ? 'yes' : 'no', d.versions.length, fmt(d.nodes), fmt(d.edges)]);
  process.stdout.write(`${t.toString()}\n`);
}

