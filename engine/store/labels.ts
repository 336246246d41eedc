/**
 * A dataset's member labels (`supernode ingest FILE --name N --labels L`): `<data>/<name>/labels.json`
 * beside the manifest, written whole or not at all by engine/store/durable.ts. Outside the
 * versioned files on purpose: names describe members, not edges, so a new `--labels` replaces
 * them for every version, and an ingest without `--labels` keeps them. The store's sweep leaves
 * the file alone (it removes only `.tmp-*` files and unnamed chunks).
 *
 * Format: `{"format":"supernode-labels/1","labels":[[id,name],...]}`, pairs not an object, since
 * ids are data (an id `__proto__` is a key like any other).
 */
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { SupernodeError } from '../errors.js';
import { writeFileDurable } from './durable.js';
import { checkName } from './index.js';

const FILE = 'labels.json';
const FORMAT = 'supernode-labels/1';

export async function writeDatasetLabels(dataDir: string, name: string, labels: ReadonlyMap<string, string>): Promise<void> {
  checkName(name);
  const body = JSON.stringify({ format: FORMAT, labels: [...labels] });
  await writeFileDurable(path.join(dataDir, name, FILE), body, { what: `dataset "${name}" labels` });
}

/** The stored labels, or null when the dataset has none. */
export async function readDatasetLabels(dataDir: string, name: string): Promise<Map<string, string> | null> {
  checkName(name);
  return decode(name, await fs.readFile(path.join(dataDir, name, FILE), 'utf8').catch(absent));
}

/** The same, synchronously: the API reads them once per snapshot while it builds a page. */
export function readDatasetLabelsSync(dataDir: string, name: string): Map<string, string> | null {
  checkName(name);
  let text: string | null;
  try {
    text = fsSync.readFileSync(path.join(dataDir, name, FILE), 'utf8');
  } catch (e) {
    text = absent(e);
  }
  return decode(name, text);
}

function absent(e: unknown): null {
  if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
  throw e;
}

function decode(name: string, text: string | null): Map<string, string> | null {
  if (text === null) return null;
  try {
    const j = JSON.parse(text) as { format?: unknown; labels?: unknown };
    if (j.format !== FORMAT || !Array.isArray(j.labels)) throw new Error('unknown labels format');
    const out = new Map<string, string>();
    for (const p of j.labels as unknown[]) {
      if (!Array.isArray(p) || typeof p[0] !== 'string' || typeof p[1] !== 'string') throw new Error('a label is not an [id, name] pair');
      out.set(p[0], p[1]);
    }
    return out;
  } catch (err) {
    throw new SupernodeError('STORE_CORRUPT', `dataset "${name}": ${FILE} unreadable (${(err as Error).message})`);
  }
}
