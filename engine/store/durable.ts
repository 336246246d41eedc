/**
 * Durable writes: the one place that puts bytes on disk for the store, snapshots, job records and
 * API keys, so a reader or a restart sees a whole file (or directory) or the previous one, never a
 * part, and a full disk is a coded error instead of a crash or a torn file.
 *
 * A write goes to a `.tmp-<random>` name beside its target (same directory, so the rename stays on
 * one filesystem), is written fully (a write may take fewer bytes than asked: the loop continues from
 * where it stopped, and a write that takes none is an error, never a silent truncation), fsynced,
 * closed, renamed over the target (atomic on POSIX), and the directory is fsynced so the rename
 * itself survives a power cut. Any failure on the way removes the temporary file and rethrows;
 * ENOSPC and EDQUOT become `STORAGE_FULL` (HTTP 507) naming what was being written. An error after
 * the rename (only the directory fsync) means the new content is in place but its durability is not
 * known; that error is rethrown too.
 *
 * Every call goes through an `FsLayer` (node:fs/promises by default), which tests replace to inject
 * ENOSPC, short writes, fsync and rename failures (`setFsLayer`). The synchronous variant exists for
 * the few callers that run before the event loop serves anything (start-up) or in the CLI; server
 * paths use the asynchronous functions.
 *
 * Directories: `writeTreeDurable` writes several files into a `.tmp-*` directory and renames the
 * directory into place (a snapshot is its two files or nothing). `sweepTemps` removes what a crash
 * left behind.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { SupernodeError } from '../errors.js';

/** The part of a file handle a durable write uses (node's FileHandle has this shape). */
export interface FileLike {
  write(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The filesystem calls a durable write makes; replace it in tests to inject faults. */
export interface FsLayer {
  open(file: string, flags: string, mode?: number): Promise<FileLike>;
  rename(from: string, to: string): Promise<void>;
  rm(target: string, opts: { recursive?: boolean; force?: boolean }): Promise<void>;
  mkdir(dir: string, opts: { recursive?: boolean }): Promise<unknown>;
}

/** The synchronous twin of FsLayer (start-up and CLI writes). */
export interface FsLayerSync {
  openSync(file: string, flags: string, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  rmSync(target: string, opts: { recursive?: boolean; force?: boolean }): void;
}

export const nodeFsLayer: FsLayer = {
  open: (file, flags, mode) => fsp.open(file, flags, mode),
  rename: (from, to) => fsp.rename(from, to),
  rm: (target, opts) => fsp.rm(target, opts),
  mkdir: (dir, opts) => fsp.mkdir(dir, opts),
};

export const nodeFsLayerSync: FsLayerSync = {
  openSync: (file, flags, mode) => fs.openSync(file, flags, mode),
  writeSync: (fd, buffer, offset, length, position) => fs.writeSync(fd, buffer, offset, length, position),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  renameSync: (from, to) => fs.renameSync(from, to),
  rmSync: (target, opts) => fs.rmSync(target, opts),
};

let layer: FsLayer = nodeFsLayer;
let layerSync: FsLayerSync = nodeFsLayerSync;

/** Replaces the filesystem layer (fault tests); returns a function that restores the previous one. */
export function setFsLayer(next: { async?: FsLayer; sync?: FsLayerSync }): () => void {
  const prev = { layer, layerSync };
  if (next.async) layer = next.async;
  if (next.sync) layerSync = next.sync;
  return () => {
    layer = prev.layer;
    layerSync = prev.layerSync;
  };
}

/** Prefix of every temporary name; `sweepTemps` and the stores' sweeps look for it. */
export const TMP_PREFIX = '.tmp-';

/** What a write accepts: text (UTF-8), bytes, or chunks written back to back. */
export type Data = string | Uint8Array | readonly Uint8Array[];

export interface DurableOptions {
  /** File mode of the new file (default 0o644; keys use 0o600). */
  readonly mode?: number;
  /** Names the content in errors ("snapshot forum/3", "job record ..."); default the file name. */
  readonly what?: string;
  /** Abandons the write (temporary removed, nothing published) once aborted: checked between calls. */
  readonly signal?: AbortSignal;
}

const FULL = new Set(['ENOSPC', 'EDQUOT']);
/** Directory fsync is refused by some filesystems; the rename is atomic there all the same. */
const DIR_SYNC_UNSUPPORTED = new Set(['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EISDIR', 'EPERM', 'EACCES', 'EBADF']);

/** ENOSPC/EDQUOT as a coded STORAGE_FULL (507); every other error unchanged. */
export function storageError(err: unknown, what: string): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code !== undefined && FULL.has(code)) {
    return new SupernodeError('STORAGE_FULL', `no space left on the data volume while writing ${what} (${code}); free space or move --data, then retry`);
  }
  return err;
}

export function isStorageFull(err: unknown): boolean {
  return err instanceof SupernodeError && err.code === 'STORAGE_FULL';
}

function chunksOf(data: Data): readonly Uint8Array[] {
  if (typeof data === 'string') return [Buffer.from(data, 'utf8')];
  if (data instanceof Uint8Array) return [data];
  return data;
}

function shortWrite(file: string, wrote: number, want: number): Error {
  return Object.assign(new Error(`write to ${file} stored 0 of ${want} remaining bytes (${wrote} written before)`), { code: 'EIO' });
}

/** Writes every byte of `chunks`, continuing after short writes. */
async function writeAll(fh: FileLike, file: string, chunks: readonly Uint8Array[], signal?: AbortSignal): Promise<void> {
  let total = 0;
  for (const c of chunks) {
    let off = 0;
    while (off < c.length) {
      signal?.throwIfAborted();
      const { bytesWritten } = await fh.write(c, off, c.length - off, null);
      if (!(bytesWritten > 0)) throw shortWrite(file, total, c.length - off);
      off += bytesWritten;
      total += bytesWritten;
    }
  }
}

/** Creates `file` (it must not exist), writes it fully, fsyncs and closes it; removes it on failure. */
async function writeNew(file: string, chunks: readonly Uint8Array[], mode: number, signal?: AbortSignal): Promise<void> {
  const fh = await layer.open(file, 'wx', mode);
  try {
    await writeAll(fh, file, chunks, signal);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    throw err;
  }
  await fh.close();
}

/** fsyncs a directory so a rename or a new entry in it is durable. */
export async function syncDir(dir: string): Promise<void> {
  let fh: FileLike;
  try {
    fh = await layer.open(dir, 'r');
  } catch (err) {
    if (DIR_SYNC_UNSUPPORTED.has((err as NodeJS.ErrnoException).code ?? '')) return;
    throw err;
  }
  try {
    await fh.sync();
  } catch (err) {
    if (!DIR_SYNC_UNSUPPORTED.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/**
 * `.tmp-p<pid>-<random>-<target name>`: the writer's pid lets a sweep remove a crashed write's
 * leftovers at once (its process is gone) while never touching a live writer's file.
 */
export function tempPath(dir: string, base: string): string {
  return path.join(dir, `${TMP_PREFIX}p${process.pid}-${randomBytes(8).toString('hex')}-${base}`);
}

const TEMP_PID = /^\.tmp-p(\d{1,10})-[0-9a-f]{16}-/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a `.tmp-*` entry is a leftover to remove: its writer's process is gone (a crash), or it
 * is at least `minAgeMs` old (names without a pid, or a pid reused by another process). This
 * process's own temporaries are never stale by pid: they may be writes in flight.
 */
export async function isStaleTemp(file: string, minAgeMs: number): Promise<boolean> {
  const name = path.basename(file);
  if (!name.startsWith(TMP_PREFIX)) return false;
  const m = TEMP_PID.exec(name);
  if (m !== null) {
    const pid = Number(m[1]);
    if (pid !== process.pid && !alive(pid)) return true;
    if (pid === process.pid) return false;
  }
  try {
    return Date.now() - (await fsp.lstat(file)).mtimeMs >= minAgeMs;
  } catch {
    return false;
  }
}

/**
 * Replaces `file` with `data` atomically and durably: whole new content or the old one, never a
 * part. Throws STORAGE_FULL on ENOSPC/EDQUOT; the temporary file is gone after any failure.
 */
export async function writeFileDurable(file: string, data: Data, opts: DurableOptions = {}): Promise<void> {
  const dir = path.dirname(file);
  const tmp = tempPath(dir, path.basename(file));
  const what = opts.what ?? path.basename(file);
  try {
    await writeNew(tmp, chunksOf(data), opts.mode ?? 0o644, opts.signal);
    opts.signal?.throwIfAborted();
    await layer.rename(tmp, file);
  } catch (err) {
    await layer.rm(tmp, { force: true }).catch(() => undefined);
    throw storageError(err, what);
  }
  try {
    await syncDir(dir);
  } catch (err) {
    throw storageError(err, what);
  }
}

/**
 * Writes `files` into a fresh temporary directory beside `finalDir` and renames it to `finalDir`
 * (which must not exist): the directory appears whole or not at all. The temporary directory is
 * removed after any failure.
 */
export async function writeTreeDurable(
  finalDir: string, files: readonly { readonly name: string; readonly data: Data }[], opts: DurableOptions = {},
): Promise<void> {
  const parent = path.dirname(finalDir);
  const what = opts.what ?? path.basename(finalDir);
  const tmp = tempPath(parent, path.basename(finalDir));
  try {
    await layer.mkdir(tmp, {});
    for (const f of files) await writeNew(path.join(tmp, f.name), chunksOf(f.data), opts.mode ?? 0o644, opts.signal);
    await syncDir(tmp);
    opts.signal?.throwIfAborted();
    await layer.rename(tmp, finalDir);
  } catch (err) {
    await layer.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw storageError(err, what);
  }
  try {
    await syncDir(parent);
  } catch (err) {
    throw storageError(err, what);
  }
}

/** The synchronous `writeFileDurable`, for start-up (before anything is served) and the CLI. */
export function writeFileDurableSync(file: string, data: Data, opts: DurableOptions = {}): void {
  const dir = path.dirname(file);
  const tmp = tempPath(dir, path.basename(file));
  const what = opts.what ?? path.basename(file);
  const L = layerSync;
  try {
    const fd = L.openSync(tmp, 'wx', opts.mode ?? 0o644);
    try {
      let total = 0;
      for (const c of chunksOf(data)) {
        let off = 0;
        while (off < c.length) {
          const n = L.writeSync(fd, c, off, c.length - off, null);
          if (!(n > 0)) throw shortWrite(tmp, total, c.length - off);
          off += n;
          total += n;
        }
      }
      L.fsyncSync(fd);
    } finally {
      L.closeSync(fd);
    }
    L.renameSync(tmp, file);
  } catch (err) {
    try { L.rmSync(tmp, { force: true }); } catch { /* the error that matters is the first */ }
    throw storageError(err, what);
  }
  try {
    const fd = L.openSync(dir, 'r');
    try { L.fsyncSync(fd); } finally { L.closeSync(fd); }
  } catch (err) {
    if (!DIR_SYNC_UNSUPPORTED.has((err as NodeJS.ErrnoException).code ?? '')) throw storageError(err, what);
  }
}

/**
 * Removes the stale `.tmp-*` entries (files or directories, see isStaleTemp) that crashed writes
 * left in `dir`. Returns the removed paths; a missing directory is nothing to sweep.
 */
export async function sweepTemps(dir: string, minAgeMs: number): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names) {
    const p = path.join(dir, n);
    if (!(await isStaleTemp(p, minAgeMs))) continue;
    try {
      await fsp.rm(p, { recursive: true, force: true });
      removed.push(p);
    } catch { /* gone meanwhile */ }
  }
  return removed;
}
