/**
 * A filesystem layer for engine/store/durable.ts that misbehaves on purpose, over the real disk:
 * every call reaches node:fs, but writes may be cut short, the "disk" may fill after a byte budget
 * (a short write first, then ENOSPC, as a real full disk answers), fsync and rename may fail. Faults
 * apply only to target paths matching `match` (default: every path), so a test can fill the disk
 * for snapshots while uploads still land. Used in-process by the unit tests and, through
 * SUPERNODE_FAULTS (JSON of a FaultPlan), by test/fault/child.ts inside a real server process.
 */
import fs from 'node:fs';
import { type FileLike, type FsLayer, type FsLayerSync, nodeFsLayer, nodeFsLayerSync } from '../../engine/store/durable.js';

export interface FaultPlan {
  /** Source of a RegExp; faults hit only paths it matches (the temporary names contain the target's). */
  readonly match?: string;
  /** Each write call stores at most this many bytes (short writes). */
  readonly maxWriteBytes?: number;
  /** Bytes that fit on the "disk" across all matching writes; then a short write, then `fullCode`. */
  readonly capacityBytes?: number;
  /** The error a full disk answers (default ENOSPC; EDQUOT for a quota). */
  readonly fullCode?: 'ENOSPC' | 'EDQUOT';
  /** A write that returns 0 bytes (no error): must never be taken for success. */
  readonly zeroWrite?: boolean;
  /** fsync of a matching file fails with this code (e.g. EIO). */
  readonly failSync?: string;
  /** rename of a matching path fails with this code (e.g. EXDEV, EACCES). */
  readonly failRename?: string;
  /** Each matching write waits this long first (a window for kill -9 while a temporary exists). */
  readonly delayMs?: number;
  /**
   * Faults apply only while this file exists; a non-empty file replaces `match` with its content.
   * A test in another process arms and disarms the faults of a running server this way.
   */
  readonly armFile?: string;
}

function errno(code: string, call: string, file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected fault, ${call} '${file}'`), { code, syscall: call, path: file });
}

/** Both layers (async and sync) for one plan; `stats` counts what was injected. */
export function faultyFs(plan: FaultPlan): { async: FsLayer; sync: FsLayerSync; stats: { written: number; faults: number } } {
  const base = new RegExp(plan.match ?? '');
  const stats = { written: 0, faults: 0 };
  /** The match in force now, or null while disarmed. */
  const armed = (): RegExp | null => {
    if (plan.armFile === undefined) return base;
    let text: string;
    try { text = fs.readFileSync(plan.armFile, 'utf8').trim(); } catch { return null; }
    return text === '' ? base : new RegExp(text);
  };
  const re = { test: (file: string) => armed()?.test(file) ?? false };
  /** How many of `want` bytes this write may store; throws once the disk is full. */
  const allow = (file: string, want: number): number => {
    let n = want;
    if (plan.zeroWrite) { stats.faults++; return 0; }
    if (plan.maxWriteBytes !== undefined) n = Math.min(n, plan.maxWriteBytes);
    if (plan.capacityBytes !== undefined) {
      const left = plan.capacityBytes - stats.written;
      if (left <= 0) { stats.faults++; throw errno(plan.fullCode ?? 'ENOSPC', 'write', file); }
      n = Math.min(n, left);
    }
    if (n < want) stats.faults++;
    return n;
  };
  const wrap = (file: string, fh: FileLike): FileLike => ({
    async write(buffer, offset, length, position) {
      if (plan.delayMs !== undefined) await new Promise((r) => setTimeout(r, plan.delayMs));
      const n = allow(file, length);
      if (n === 0) return { bytesWritten: 0 };
      const r = await fh.write(buffer, offset, n, position);
      stats.written += r.bytesWritten;
      return r;
    },
    async sync() {
      if (plan.failSync !== undefined) { stats.faults++; throw errno(plan.failSync, 'fsync', file); }
      await fh.sync();
    },
    close: () => fh.close(),
  });
  const asyncLayer: FsLayer = {
    async open(file, flags, mode) {
      const fh = await nodeFsLayer.open(file, flags, mode);
      // Directories (opened 'r' to fsync them) pass through: the faults are about file contents.
      return re.test(file) && flags !== 'r' ? wrap(file, fh) : fh;
    },
    async rename(from, to) {
      if (plan.failRename !== undefined && re.test(to)) { stats.faults++; throw errno(plan.failRename, 'rename', to); }
      await nodeFsLayer.rename(from, to);
    },
    rm: (target, opts) => nodeFsLayer.rm(target, opts),
    mkdir: (dir, opts) => nodeFsLayer.mkdir(dir, opts),
  };
  const faultyFds = new Map<number, string>();
  const syncLayer: FsLayerSync = {
    openSync(file, flags, mode) {
      const fd = nodeFsLayerSync.openSync(file, flags, mode);
      if (re.test(file) && flags !== 'r') faultyFds.set(fd, file);
      return fd;
    },
    writeSync(fd, buffer, offset, length, position) {
      const file = faultyFds.get(fd);
      if (file === undefined) return nodeFsLayerSync.writeSync(fd, buffer, offset, length, position);
      const n = allow(file, length);
      if (n === 0) return 0;
      const w = nodeFsLayerSync.writeSync(fd, buffer, offset, n, position);
      stats.written += w;
      return w;
    },
    fsyncSync(fd) {
      const file = faultyFds.get(fd);
      if (file !== undefined && plan.failSync !== undefined) { stats.faults++; throw errno(plan.failSync, 'fsync', file); }
      nodeFsLayerSync.fsyncSync(fd);
    },
    closeSync(fd) {
      faultyFds.delete(fd);
      nodeFsLayerSync.closeSync(fd);
    },
    renameSync(from, to) {
      if (plan.failRename !== undefined && re.test(to)) { stats.faults++; throw errno(plan.failRename, 'rename', to); }
      nodeFsLayerSync.renameSync(from, to);
    },
    rmSync: (target, opts) => nodeFsLayerSync.rmSync(target, opts),
  };
  return { async: asyncLayer, sync: syncLayer, stats };
}

/** Every `.tmp-*` entry under `dir`, recursively (what a failed or crashed write left behind). */
export function tempsUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { recursive: true }) as string[]) {
    if (e.split('/').some((part) => part.startsWith('.tmp-'))) out.push(e);
  }
  return out;
}

/** Mounts a tmpfs of `bytes` at `dir` when this process may (root with mount(8)); else the reason it cannot. */
export async function mountTmpfs(dir: string, bytes: number): Promise<{ ok: true; unmount: () => Promise<void> } | { ok: false; reason: string }> {
  const { execFileSync } = await import('node:child_process');
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not running as root: the real tmpfs disk-full case needs mount(8)' };
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    return { ok: false, reason: `mount -t tmpfs is not permitted here (${String((e as { stderr?: Buffer }).stderr ?? e).trim()})` };
  }
  return {
    ok: true,
    unmount: async () => {
      for (let i = 0; i < 20; i++) {
        try { execFileSync('umount', [dir], { stdio: 'pipe' }); return; } catch { await new Promise((r) => setTimeout(r, 100)); }
      }
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
    },
  };
}

