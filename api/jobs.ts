/**
 * Jobs: long analyses started over HTTP, run one (or `concurrency`) at a time with their kernels in
 * the worker pool, behind a bounded queue (a full queue is a coded 429 with Retry-After).
 *
 * A job moves queued -> running -> succeeded | failed | cancelled. Progress is a fraction in
 * [0, 1]; listeners (the SSE route) get every state change and throttled progress. A succeeded job
 * names the immutable snapshot it wrote. Job records are persisted on every state change under
 * <dataDir>/.jobs/<id>.json (engine/store/durable.ts: asynchronous, whole or absent, in order per
 * job), so a restart still answers GET /v1/jobs/{id}; a job that was queued or running when the
 * process died is reported as failed with JOB_INTERRUPTED. A job is queued only once its record is
 * on disk: a submit that cannot write it (STORAGE_FULL on a full disk) answers that error and
 * leaves no job behind. A later record that cannot be written (the disk filled while the job ran)
 * is reported through `onPersistError` and never stops the process; the job's state in memory stays
 * right, and a restart reports it interrupted. Graceful shutdown stops what is queued and running
 * and records it as failed with JOB_INTERRUPTED (start it again), bounded by `close(timeoutMs)`.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type ErrorCode, SupernodeError } from '../engine/errors.js';
import { sweepTemps, writeFileDurable } from '../engine/store/durable.js';
import type { AnalysisRequest } from '../engine/rank/analysis.js';
import { toSupernodeError } from './errors.js';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type JobKind = 'analysis' | 'seeds';

export interface SeedsRequest {
  readonly k: number;
  readonly model: 'ic' | 'wc' | 'lt';
  readonly p?: number;
  readonly seed?: number;
  readonly epsilon?: number;
}

export interface JobRecord {
  readonly id: string;
  readonly dataset: string;
  readonly kind: JobKind;
  readonly request: AnalysisRequest | SeedsRequest;
  state: JobState;
  progress: number;
  readonly created: string;
  started: string | null;
  finished: string | null;
  snapshot: number | null;
  error: { code: ErrorCode; message: string } | null;
}

export type JobEvent = { type: 'state' | 'progress'; job: JobRecord };

/** What actually runs a job: returns the snapshot id it wrote. */
export type JobExecutor = (job: JobRecord, signal: AbortSignal, onProgress: (f: number) => void) => Promise<number>;

export interface JobManagerOptions {
  readonly dataDir: string;
  readonly execute: JobExecutor;
  /** Jobs waiting (not counting running ones) before new ones get 429. */
  readonly maxQueued?: number;
  readonly concurrency?: number;
  /** Minimum interval between progress events per job, ms. */
  readonly progressIntervalMs?: number;
  /** Told when a job record could not be written after the job was accepted (the server logs it). */
  readonly onPersistError?: (job: JobRecord, err: unknown) => void;
}

const INTERRUPTED = 'JOB_INTERRUPTED';

const TERMINAL: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'cancelled']);
const JOB_ID = /^[0-9a-f-]{36}$/;

export function isTerminal(s: JobState): boolean {
  return TERMINAL.has(s);
}

export class JobManager {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly queue: JobRecord[] = [];
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly listeners = new Map<string, Set<(e: JobEvent) => void>>();
  private readonly finishedListeners = new Set<(job: JobRecord) => void>();
  private readonly lastProgress = new Map<string, number>();
  private readonly dir: string;
  private readonly maxQueued: number;
  private readonly concurrency: number;
  private readonly progressIntervalMs: number;
  private closing = false;
  private closed: Promise<void> | null = null;
  /** Recent job durations (s), for Retry-After estimates. */
  private readonly durations: number[] = [];

  /** Record writes in flight per job, chained so the last state written is the last state set. */
  private readonly writes = new Map<string, Promise<void>>();
  /** Submits waiting for their first record write: they count against the queue bound. */
  private pendingSubmits = 0;

  constructor(private readonly opts: JobManagerOptions) {
    this.dir = path.join(opts.dataDir, '.jobs');
    this.maxQueued = opts.maxQueued ?? 8;
    this.concurrency = opts.concurrency ?? 1;
    this.progressIntervalMs = opts.progressIntervalMs ?? 100;
  }

  /**
   * Loads the records of earlier runs (call once, before serving): jobs that were queued or running
   * when that process died are recorded as failed with JOB_INTERRUPTED; torn records are ignored
   * and the temporary files of crashed writes removed.
   */
  async restore(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await sweepTemps(this.dir, 60_000);
    for (const name of await fs.readdir(this.dir)) {
      const file = path.join(this.dir, name);
      // `<id>.json.tmp`: the temporary name of releases before durable writes.
      if (name.endsWith('.json.tmp')) { await fs.rm(file, { force: true }); continue; }
      if (!name.endsWith('.json')) continue;
      let job: JobRecord;
      try {
        job = JSON.parse(await fs.readFile(file, 'utf8')) as JobRecord;
      } catch {
        continue; // torn by a crash of a release without durable writes: ignore it
      }
      if (!JOB_ID.test(job.id) || this.jobs.has(job.id)) continue;
      if (!isTerminal(job.state)) {
        job.state = 'failed';
        job.finished = new Date().toISOString();
        job.error = { code: INTERRUPTED, message: 'the server stopped while this job was queued or running; start it again' };
        await this.record(job);
      }
      this.jobs.set(job.id, job);
    }
  }

  /**
   * Writes the record as it is now, after any earlier write of the same job. Rejects with the
   * write's error (STORAGE_FULL on a full disk); the chain itself never rejects.
   */
  private persist(job: JobRecord): Promise<void> {
    const text = JSON.stringify(job);
    const file = path.join(this.dir, `${job.id}.json`);
    const prev = this.writes.get(job.id) ?? Promise.resolve();
    const write = prev.then(() => writeFileDurable(file, text, { what: `job record ${job.id}` }));
    const tail = write.catch(() => undefined);
    this.writes.set(job.id, tail);
    void tail.then(() => { if (this.writes.get(job.id) === tail) this.writes.delete(job.id); });
    return write;
  }

  /** persist() for state changes after acceptance: a failure is reported, never thrown. */
  private record(job: JobRecord): Promise<void> {
    return this.persist(job).catch((err: unknown) => this.opts.onPersistError?.(job, err));
  }

  get stats(): { queued: number; running: number; total: number } {
    return { queued: this.queue.length, running: this.running.size, total: this.jobs.size };
  }

  /** Seconds a client should wait before retrying a full queue. */
  retryAfter(): number {
    const avg = this.durations.length ? this.durations.reduce((a, b) => a + b, 0) / this.durations.length : 5;
    return Math.max(1, Math.ceil(avg));
  }

  /**
   * Queues a job once its record is on disk; rejects (and queues nothing) when the server is
   * closing, the queue is full, or the record cannot be written (STORAGE_FULL).
   */
  async submit(dataset: string, kind: JobKind, request: AnalysisRequest | SeedsRequest): Promise<JobRecord> {
    this.checkAccepting();
    const job: JobRecord = {
      id: randomUUID(), dataset, kind, request, state: 'queued', progress: 0,
      created: new Date().toISOString(), started: null, finished: null, snapshot: null, error: null,
    };
    this.pendingSubmits++;
    try {
      await this.persist(job);
    } finally {
      this.pendingSubmits--;
    }
    if (this.closing) {
      // Shutdown began while the record was written: it is on disk as queued, so say what happened.
      job.state = 'failed';
      job.finished = new Date().toISOString();
      job.error = { code: INTERRUPTED, message: 'the server shut down before the job started; start it again' };
      await this.record(job);
      throw new SupernodeError('SHUTTING_DOWN', 'the server is shutting down; no new jobs');
    }
    this.jobs.set(job.id, job);
    this.queue.push(job);
    this.pump();
    return job;
  }

  private checkAccepting(): void {
    if (this.closing) throw new SupernodeError('SHUTTING_DOWN', 'the server is shutting down; no new jobs');
    if (this.queue.length + this.pendingSubmits >= this.maxQueued) {
      throw new SupernodeError('QUEUE_FULL', `the job queue is full (${this.maxQueued} waiting)`, {}, { retryAfter: this.retryAfter() });
    }
  }

  get(id: string): JobRecord {
    const job = JOB_ID.test(id) ? this.jobs.get(id) : undefined;
    if (job === undefined) throw new SupernodeError('JOB_NOT_FOUND', `no job ${id}`);
    return job;
  }

  list(dataset?: string): JobRecord[] {
    return [...this.jobs.values()].filter((j) => dataset === undefined || j.dataset === dataset);
  }

  /** Cancels a queued or running job; finished jobs are returned unchanged. */
  cancel(id: string): JobRecord {
    const job = this.get(id);
    if (job.state === 'queued') {
      const i = this.queue.indexOf(job);
      if (i >= 0) this.queue.splice(i, 1);
      this.finish(job, 'cancelled', { code: 'CANCELLED', message: 'cancelled before it started' });
    } else if (job.state === 'running') {
      this.running.get(id)?.controller.abort();
    }
    return job;
  }

  subscribe(id: string, f: (e: JobEvent) => void): () => void {
    let set = this.listeners.get(id);
    if (set === undefined) this.listeners.set(id, (set = new Set()));
    set.add(f);
    return () => {
      set.delete(f);
      if (set.size === 0) this.listeners.delete(id);
    };
  }

  /** Called once per job when it reaches a final state. */
  subscribeAll(f: (job: JobRecord) => void): void {
    this.finishedListeners.add(f);
  }

  private emit(job: JobRecord, type: JobEvent['type']): void {
    const set = this.listeners.get(job.id);
    if (set) for (const f of [...set]) f({ type, job });
  }

  private finish(job: JobRecord, state: JobState, error: JobRecord['error'] = null): void {
    if (isTerminal(job.state)) return; // recorded already (close() past its bound)
    job.state = state;
    job.error = error;
    job.finished = new Date().toISOString();
    if (state === 'succeeded') job.progress = 1;
    this.lastProgress.delete(job.id);
    void this.record(job);
    this.emit(job, 'state');
    for (const f of this.finishedListeners) f(job);
  }

  private pump(): void {
    while (!this.closing && this.running.size < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      const controller = new AbortController();
      const done = this.runOne(job, controller);
      this.running.set(job.id, { controller, done });
    }
  }

  private async runOne(job: JobRecord, controller: AbortController): Promise<void> {
    job.state = 'running';
    job.started = new Date().toISOString();
    void this.record(job);
    this.emit(job, 'state');
    const t0 = performance.now();
    try {
      // Let the 202 go out before the synchronous parts (loading, graph build) of the job start.
      await new Promise<void>((r) => setImmediate(r));
      const snapshot = await this.opts.execute(job, controller.signal, (f) => this.progress(job, f));
      if (controller.signal.aborted) throw new SupernodeError('CANCELLED', 'cancelled');
      job.snapshot = snapshot;
      this.finish(job, 'succeeded');
    } catch (e) {
      const err = toSupernodeError(e);
      if (this.closing) {
        this.finish(job, 'failed', { code: INTERRUPTED, message: 'the server shut down while the job ran; start it again' });
      } else if (controller.signal.aborted || err.code === 'CANCELLED') {
        this.finish(job, 'cancelled', { code: 'CANCELLED', message: 'cancelled while running' });
      } else {
        const detail = err.code === 'INTERNAL' && e instanceof Error ? `${e.message}` : err.message;
        this.finish(job, 'failed', { code: err.code, message: detail });
      }
    } finally {
      this.durations.push((performance.now() - t0) / 1000);
      if (this.durations.length > 20) this.durations.shift();
      this.running.delete(job.id);
      this.pump();
    }
  }

  private progress(job: JobRecord, f: number): void {
    if (job.state !== 'running' || !(f >= job.progress)) return;
    job.progress = Math.min(1, f);
    const now = performance.now();
    const last = this.lastProgress.get(job.id) ?? -Infinity;
    if (now - last >= this.progressIntervalMs || f >= 1) {
      this.lastProgress.set(job.id, now);
      this.emit(job, 'progress');
    }
  }

  /**
   * Stops accepting jobs, records queued and running ones as failed with JOB_INTERRUPTED (a client
   * starts them again), aborts the running ones and waits for them to stop and for every record
   * write to land, at most `timeoutMs` (a kernel that ignores its signal must not hold the exit).
   */
  close(timeoutMs = 5_000): Promise<void> {
    // Once: the server's shutdown calls it first with its bound, the app's onClose hook again.
    this.closed ??= this.closeNow(timeoutMs);
    return this.closed;
  }

  private async closeNow(timeoutMs: number): Promise<void> {
    this.closing = true;
    for (const job of this.queue.splice(0)) this.finish(job, 'failed', { code: INTERRUPTED, message: 'the server shut down before the job started; start it again' });
    const running = [...this.running.entries()];
    for (const [, r] of running) r.controller.abort();
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); });
    await Promise.race([Promise.allSettled(running.map(([, r]) => r.done)), bound]);
    // A job still running past the bound: record it interrupted now (what a restart would say).
    for (const [id] of running) {
      const job = this.jobs.get(id);
      if (job !== undefined && !isTerminal(job.state)) this.finish(job, 'failed', { code: INTERRUPTED, message: 'the server shut down while the job ran; start it again' });
    }
    await Promise.race([Promise.allSettled([...this.writes.values()]), bound]);
    clearTimeout(timer);
  }
}
