/**
 * The dataset store: named, versioned edge datasets on disk as Arrow IPC files.
 *
 * Layout (one folder per dataset under the data directory):
 *   <name>/manifest.json            the only mutable file; lists the versions and their files
 *   <name>/edges-000000.arrow       chunk k: the rows appended by version k (source, target Int32
 *                                   member indices; weight, timestamp, type when present)
 *   <name>/members-000000.arrow     chunk k: the member ids first seen in version k (Utf8 `id`),
 *                                   so version N's dictionary is the concatenation of chunks 0..N
 * Version N = chunks base..N (base = 0, or the version of the last replacing upload, which holds
 * only its own file). Chunks are immutable, so every earlier version stays readable, and a
 * reader never sees a mix of versions: it reads the manifest once and then only immutable files.
 *
 * Crash safety: every file is written by engine/store/durable.ts (a `.tmp-*` name, written fully,
 * fsynced, renamed into place, the directory fsynced; ENOSPC/EDQUOT -> STORAGE_FULL). An append
 * writes its two chunk files first and the manifest last; the manifest rename is the commit point.
 * A failed append removes the chunks it wrote; a crash before the commit leaves only files no
 * manifest names, which readers never open and which are swept (with stray `.tmp-*` files and
 * half-created or deleted folders) on the first call of a store: at once when their writer's
 * process is gone, else once they are a minute old. A new dataset is built in a temporary folder
 * and renamed into place; a deleted one is renamed away before it is removed.
 *
 * Loading parses no text: tableFromIPC over each chunk, then typed-array copies.
 * Concurrency: calls on one store object are serialised per dataset. Two processes appending to the
 * same dataset at once are not supported (the later manifest would win).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import { SupernodeError } from '../errors.js';
import type { EdgeColumns } from '../graph/builder.js';
import { columnsToTable, tableToColumns } from '../ingest/arrow.js';
import { MemberDictionary } from '../ingest/dictionary.js';
import type { IngestResult } from '../ingest/index.js';
import { isStaleTemp, storageError, syncDir, tempPath, TMP_PREFIX, writeFileDurable } from './durable.js';

export interface DatasetVersion {
  version: number;
  /** Rows in this version (all chunks base..version). */
  rows: number;
  /**
   * First chunk of this version: a replacing upload (mode=replace) starts the dataset over at its
   * own chunk, so the version holds that file only (earlier versions stay readable). Absent = 0.
   */
  base?: number;
  /** Members in this version. */
  nodes: number;
  created: string;
  /** The chunk files this version added. */
  files: string[];
  addedRows: number;
  addedNodes: number;
  timeSpan: { from: number; to: number } | null;
  types: string[];
  hasWeight: boolean;
}

export interface DatasetInfo {
  name: string;
  directed: boolean;
  created: string;
  versions: DatasetVersion[];
  latest: number | null;
  nodes: number;
  edges: number;
  timeSpan: { from: number; to: number } | null;
  types: string[];
}

interface Manifest {
  format: 'supernode-dataset/1';
  name: string;
  directed: boolean;
  created: string;
  versions: DatasetVersion[];
}

const NAME_RE = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;
const MANIFEST = 'manifest.json';
const TMP = TMP_PREFIX;
const TRASH = '.trash-';
/** Orphans younger than this may belong to a write in progress in another process. */
const SWEEP_AGE_MS = 60_000;

export class DatasetStore {
  readonly dataDir: string;
  private readonly locks = new Map<string, Promise<unknown>>();
  private swept: Promise<void> | null = null;

  constructor(dataDir: string) {
    this.dataDir = path.resolve(dataDir);
  }

  async list(): Promise<DatasetInfo[]> {
    await this.sweep();
    let names: string[];
    try {
      names = await fs.readdir(this.dataDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: DatasetInfo[] = [];
    for (const name of names.sort()) {
      if (!NAME_RE.test(name)) continue;
      const m = await this.readManifest(name).catch(() => null);
      if (m !== null) out.push(info(m));
    }
    return out;
  }

  async create(name: string, meta: { directed: boolean }): Promise<DatasetInfo> {
    checkName(name);
    await this.sweep();
    return this.locked(name, async () => {
      await fs.mkdir(this.dataDir, { recursive: true });
      const final = this.dir(name);
      if (await exists(final)) throw new SupernodeError('DATASET_EXISTS', `dataset "${name}" exists already`);
      const m: Manifest = {
        format: 'supernode-dataset/1', name, directed: !!meta.directed, created: new Date().toISOString(), versions: [],
      };
      const tmp = tempPath(this.dataDir, name);
      try {
        await fs.mkdir(tmp);
        await writeAtomic(tmp, MANIFEST, JSON.stringify(m, null, 2), `dataset "${name}" manifest`);
        await fs.rename(tmp, final);
      } catch (err) {
        await fs.rm(tmp, { recursive: true, force: true });
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST' || code === 'ENOTEMPTY') throw new SupernodeError('DATASET_EXISTS', `dataset "${name}" exists already`);
        throw storageError(err, `dataset "${name}"`);
      }
      await syncDir(this.dataDir);
      return info(m);
    });
  }

  async describe(name: string): Promise<DatasetInfo> {
    checkName(name);
    await this.sweep();
    return info(await this.readManifest(name));
  }

  async delete(name: string): Promise<void> {
    checkName(name);
    await this.sweep();
    await this.locked(name, async () => {
      await this.readManifest(name);
      const trash = path.join(this.dataDir, `${TRASH}${randomUUID()}`);
      await fs.rename(this.dir(name), trash);
      await syncDir(this.dataDir);
      await fs.rm(trash, { recursive: true, force: true });
    });
  }

  /**
   * Stores the rows of `source` as a new version. Its member indices may come from any
   * dictionary: ids are re-interned into the dataset's own (pass the dictionary from `load` as
   * the ingest `dictionary` option to make that an identity map).
   */
  async append(name: string, source: IngestResult, opts: { readonly replace?: boolean } = {}): Promise<DatasetVersion> {
    checkName(name);
    await this.sweep();
    return this.locked(name, async () => {
      const m = await this.readManifest(name);
      const dir = this.dir(name);
      const version = m.versions.length;
      const prev = m.versions[version - 1];
      // A replace starts over: its own chunk is the first one, and only its members are members.
      const base = opts.replace === true ? version : prev?.base ?? 0;
      const fresh = base === version;
      const dict = new MemberDictionary(fresh ? [] : await this.readMembers(name, version - 1, base));
      const before = dict.size;
      const cols = remap(source.columns, source.members, dict);
      const delta = dict.idsFrom(before);

      const edgesFile = `edges-${pad(version)}.arrow`, membersFile = `members-${pad(version)}.arrow`;
      const membersTable = new Table({ id: vectorFromArray(delta, new Utf8()) });

      const span = timeSpan(cols.timestamp);
      const v: DatasetVersion = {
        version,
        rows: (fresh ? 0 : prev?.rows ?? 0) + cols.source.length,
        ...(base > 0 && { base }),
        nodes: dict.size,
        created: new Date().toISOString(),
        files: [edgesFile, membersFile],
        addedRows: cols.source.length,
        addedNodes: delta.length,
        timeSpan: fresh ? span : mergeSpan(prev?.timeSpan ?? null, span),
        types: [...new Set([...(fresh ? [] : prev?.types ?? []), ...usedTypes(cols)])],
        hasWeight: (!fresh && (prev?.hasWeight ?? false)) || cols.weight !== null,
      };
      const next: Manifest = { ...m, versions: [...m.versions, v] };
      try {
        await writeAtomic(dir, membersFile, tableToIPC(membersTable, 'file'), `dataset "${name}" v${version} members`);
        await writeAtomic(dir, edgesFile, tableToIPC(columnsToTable(cols), 'file'), `dataset "${name}" v${version} edges`);
        await writeAtomic(dir, MANIFEST, JSON.stringify(next, null, 2), `dataset "${name}" manifest`);
      } catch (err) {
        // Not committed unless the manifest on disk names the version (only a failed directory
        // fsync after the rename leaves it named): then the chunks are live and must stay.
        const now = await this.readManifest(name).catch(() => null);
        if (now !== null && now.versions.length <= version) {
          await Promise.all([edgesFile, membersFile].map((f) => fs.rm(path.join(dir, f), { force: true }).catch(() => undefined)));
        }
        throw err;
      }
      return v;
    });
  }

  async load(name: string, version?: number): Promise<{ columns: EdgeColumns; members: MemberDictionary; info: DatasetInfo; version: number }> {
    checkName(name);
    await this.sweep();
    const m = await this.readManifest(name);
    if (m.versions.length === 0) throw new SupernodeError('INPUT_EMPTY', `dataset "${name}" has no data yet; append edges first`);
    const v = version ?? m.versions.length - 1;
    if (!Number.isInteger(v) || v < 0 || v >= m.versions.length) {
      throw new SupernodeError('BAD_OPTION', `dataset "${name}" has versions 0..${m.versions.length - 1}, not ${version}`);
    }
    const base = m.versions[v]!.base ?? 0;
    const ids = await this.readMembers(name, v, base);
    const members = new MemberDictionary(ids);
    if (members.size !== m.versions[v]!.nodes) {
      throw new SupernodeError('STORE_CORRUPT', `dataset "${name}" v${v}: ${members.size} member ids stored, manifest says ${m.versions[v]!.nodes}`);
    }
    const chunks: EdgeColumns[] = [];
    for (let k = base; k <= v; k++) {
      const table = await this.readTable(name, `edges-${pad(k)}.arrow`);
      const c = tableToColumns(table, members.size);
      if (c.source.length !== m.versions[k]!.addedRows) {
        throw new SupernodeError('STORE_CORRUPT', `dataset "${name}" chunk ${k}: ${c.source.length} rows, manifest says ${m.versions[k]!.addedRows}`);
      }
      chunks.push(c);
    }
    const columns = concat(chunks, members.size);
    const n = members.size;
    for (let i = 0; i < columns.source.length; i++) {
      const a = columns.source[i]!, b = columns.target[i]!;
      if (a < 0 || a >= n || b < 0 || b >= n) throw new SupernodeError('STORE_CORRUPT', `dataset "${name}": row ${i} names member index outside 0..${n - 1}`);
    }
    return { columns, members, info: info({ ...m, versions: m.versions.slice(0, v + 1) }), version: v };
  }

  // ---------------------------------------------------------------------------------------------

  private dir(name: string): string {
    return path.join(this.dataDir, name);
  }

  private async readManifest(name: string): Promise<Manifest> {
    let text: string;
    try {
      text = await fs.readFile(path.join(this.dir(name), MANIFEST), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') {
        throw new SupernodeError('DATASET_NOT_FOUND', `no dataset named "${name}" in ${this.dataDir}`);
      }
      throw err;
    }
    try {
      const m = JSON.parse(text) as Manifest;
      if (m.format !== 'supernode-dataset/1' || !Array.isArray(m.versions)) throw new Error('unknown manifest format');
      return m;
    } catch (err) {
      throw new SupernodeError('STORE_CORRUPT', `dataset "${name}": manifest unreadable (${(err as Error).message})`);
    }
  }

  private async readTable(name: string, file: string): Promise<Table> {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(path.join(this.dir(name), file));
    } catch (err) {
      throw new SupernodeError('STORE_CORRUPT', `dataset "${name}": ${file} missing (${(err as Error).message})`);
    }
    try {
      return tableFromIPC(bytes);
    } catch (err) {
      throw new SupernodeError('STORE_CORRUPT', `dataset "${name}": ${file} unreadable (${(err as Error).message})`);
    }
  }

  /** Member ids of version v (whose first chunk is `base`), in index order. */
  private async readMembers(name: string, v: number, base: number): Promise<string[]> {
    const ids: string[] = [];
    for (let k = base; k <= v; k++) {
      const col = (await this.readTable(name, `members-${pad(k)}.arrow`)).getChild('id');
      if (!col) throw new SupernodeError('STORE_CORRUPT', `dataset "${name}": members chunk ${k} lacks its id column`);
      for (const id of col) ids.push(id as string);
    }
    return ids;
  }

  private locked<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(name) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(name, tail);
    void tail.then(() => { if (this.locks.get(name) === tail) this.locks.delete(name); });
    return run;
  }

  /** Removes what crashed writes left behind: once per store, only entries a minute old. */
  private sweep(): Promise<void> {
    this.swept ??= this.sweepNow(SWEEP_AGE_MS).then(() => undefined, () => undefined);
    return this.swept;
  }

  /** Exposed for tests and `supernode data gc`: sweep orphans older than `minAgeMs`. */
  async sweepNow(minAgeMs = SWEEP_AGE_MS): Promise<string[]> {
    const removed: string[] = [];
    const now = Date.now();
    const old = async (p: string) => now - (await fs.stat(p)).mtimeMs >= minAgeMs;
    const stale = (p: string) => isStaleTemp(p, minAgeMs);
    let top: string[];
    try {
      top = await fs.readdir(this.dataDir);
    } catch {
      return removed;
    }
    for (const entry of top) {
      const p = path.join(this.dataDir, entry);
      if (entry.startsWith(TMP) || entry.startsWith(TRASH)) {
        if (entry.startsWith(TMP) ? await stale(p) : await old(p)) { await fs.rm(p, { recursive: true, force: true }); removed.push(p); }
        continue;
      }
      if (!NAME_RE.test(entry)) continue;
      const m = await this.readManifest(entry).catch(() => null);
      if (m === null) continue;
      const live = new Set([MANIFEST, ...m.versions.flatMap((v) => v.files)]);
      await this.locked(entry, async () => {
        for (const f of await fs.readdir(p)) {
          const orphanChunk = /^(edges|members)-\d+\.arrow$/.test(f) && !live.has(f);
          if (f.startsWith(TMP) ? await stale(path.join(p, f)) : orphanChunk && await old(path.join(p, f))) {
            await fs.rm(path.join(p, f), { force: true });
            removed.push(path.join(p, f));
          }
        }
      });
    }
    return removed;
  }
}

export function checkName(name: string): void {
  if (typeof name !== 'string' || !NAME_RE.test(name) || name === '.' || name === '..') {
    throw new SupernodeError('DATASET_BAD_NAME', `bad dataset name ${JSON.stringify(name)}: use 1-64 characters of A-Z a-z 0-9 . _ -, not starting with a dot`);
  }
}

function info(m: Manifest): DatasetInfo {
  const last = m.versions[m.versions.length - 1];
  return {
    name: m.name, directed: m.directed, created: m.created, versions: m.versions,
    latest: last ? last.version : null, nodes: last?.nodes ?? 0, edges: last?.rows ?? 0,
    timeSpan: last?.timeSpan ?? null, types: last?.types ?? [],
  };
}

function pad(k: number): string {
  return String(k).padStart(6, '0');
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

/** One file whole or absent (engine/store/durable.ts); `what` names it in a STORAGE_FULL error. */
function writeAtomic(dir: string, name: string, data: Uint8Array | string, what: string): Promise<void> {
  return writeFileDurable(path.join(dir, name), data, { what });
}

/** Columns re-indexed from `from` (the ingest dictionary) into `to` (the dataset's). */
function remap(c: EdgeColumns, from: MemberDictionary, to: MemberDictionary): EdgeColumns {
  const map = new Int32Array(from.size);
  let identity = true;
  for (let i = 0; i < from.size; i++) {
    const j = to.intern(from.idOf(i));
    map[i] = j;
    if (j !== i) identity = false;
  }
  if (identity) return { ...c, nodeCount: to.size };
  const source = new Int32Array(c.source.length), target = new Int32Array(c.target.length);
  for (let r = 0; r < source.length; r++) { source[r] = map[c.source[r]!]!; target[r] = map[c.target[r]!]!; }
  return { ...c, source, target, nodeCount: to.size };
}

function timeSpan(ts: Float64Array | null): { from: number; to: number } | null {
  if (ts === null) return null;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  return lo <= hi ? { from: lo, to: hi } : null;
}

function mergeSpan(a: DatasetVersion['timeSpan'], b: DatasetVersion['timeSpan']): DatasetVersion['timeSpan'] {
  if (a === null) return b;
  if (b === null) return a;
  return { from: Math.min(a.from, b.from), to: Math.max(a.to, b.to) };
}

function usedTypes(c: EdgeColumns): string[] {
  if (c.type === null) return [];
  const used = new Uint8Array(c.typeNames.length);
  for (let i = 0; i < c.type.length; i++) if (c.type[i]! >= 0) used[c.type[i]!] = 1;
  return c.typeNames.filter((_, k) => used[k]);
}

/** Chunks end to end; a column absent from some chunk gets its default there. */
function concat(chunks: EdgeColumns[], nodeCount: number): EdgeColumns {
  if (chunks.length === 1) return { ...chunks[0]!, nodeCount };
  const rows = chunks.reduce((s, c) => s + c.source.length, 0);
  const source = new Int32Array(rows), target = new Int32Array(rows);
  const weight = chunks.some((c) => c.weight) ? new Float64Array(rows) : null;
  const timestamp = chunks.some((c) => c.timestamp) ? new Float64Array(rows) : null;
  const type = chunks.some((c) => c.type) ? new Int32Array(rows) : null;
  const names = new Map<string, number>();
  let o = 0;
  for (const c of chunks) {
    const n = c.source.length;
    source.set(c.source, o);
    target.set(c.target, o);
    if (weight) { if (c.weight) weight.set(c.weight, o); else weight.fill(1, o, o + n); }
    if (timestamp) { if (c.timestamp) timestamp.set(c.timestamp, o); else timestamp.fill(NaN, o, o + n); }
    if (type) {
      if (!c.type) type.fill(-1, o, o + n);
      else {
        const remapT = c.typeNames.map((s) => {
          let j = names.get(s);
          if (j === undefined) { j = names.size; names.set(s, j); }
          return j;
        });
        for (let i = 0; i < n; i++) { const t = c.type[i]!; type[o + i] = t < 0 ? -1 : remapT[t]!; }
      }
    }
    o += n;
  }
  return { nodeCount, source, target, weight, timestamp, type, typeNames: [...names.keys()] };
}
