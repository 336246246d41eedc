/**
 * Jobs: long analyses started over HTTP, run one (or `concurrency`) at a time with their kernels in
 * the worker pool, behind a bounded queue (a full queue is a coded 429 with Retry-After).
 *
 * A job moves queued -> running -> succeeded | failed | cancelled. Progress is a fraction in
 * [0, 1]; listeners (the SSE route) get every state change and throttled progress. A succeeded job
 * names the immutable snapshot it wrote. Job records are persisted on every state change under
 * <dataDir>/.jobs/<id>.json, so a restart still answers GET /v1/jobs/{id}; a job that was queued or
 * running when the process died is reported as failed with JOB_INTERRUPTED. Graceful shutdown
 * cancels what is running and records it as cancelled.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type ErrorCode, SupernodeError } from '../engine/errors.js';
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
}

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
  /** Recent job durations (s), for Retry-After estimates. */
  private readonly durations: number[] = [];

  constructor(private readonly opts: JobManagerOptions) {
    this.dir = path.join(opts.dataDir, '.jobs');
    this.maxQueued = opts.maxQueued ?? 8;
    this.concurrency = opts.concurrency ?? 1;
    this.progressIntervalMs = opts.progressIntervalMs ?? 100;
    this.restore();
  }

  private restore(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    for (const name of fs.readdirSync(this.dir)) {
      if (!name.endsWith('.json')) continue;
      try {
        const job = JSON.parse(fs.readFileSync(path.join(this.dir, name), 'utf8')) as JobRecord;
        if (!JOB_ID.test(job.id)) continue;
        if (!isTerminal(job.state)) {
          job.state = 'failed';
          job.finished = new Date().toISOString();
          job.error = { code: 'JOB_INTERRUPTED', message: 'the server stopped while this job was queued or running; start it again' };
          this.persist(job);
        }
        this.jobs.set(job.id, job);
      } catch { /* a torn record from a crash: ignore it */ }
    }
  }

  private persist(job: JobRecord): void {
    const file = path.join(this.dir, `${job.id}.json`);
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(job));
    fs.renameSync(tmp, file);
  }

  get stats(): { queued: number; running: number; total: number } {
    return { queued: this.queue.length, running: this.running.size, total: this.jobs.size };
  }

  /** Seconds a client should wait before retrying a full queue. */
  retryAfter(): number {
    const avg = this.durations.length ? this.durations.reduce((a, b) => a + b, 0) / this.durations.length : 5;
    return Math.max(1, Math.ceil(avg));
  }

  submit(dataset: string, kind: JobKind, request: AnalysisRequest | SeedsRequest): JobRecord {
    if (this.closing) throw new SupernodeError('SHUTTING_DOWN', 'the server is shutting down; no new jobs');
    if (this.queue.length >= this.maxQueued) {
      throw new SupernodeError('QUEUE_FULL', `the job queue is full (${this.maxQueued} waiting)`, {}, { retryAfter: this.retryAfter() });
    }
    const job: JobRecord = {
      id: randomUUID(), dataset, kind, request, state: 'queued', progress: 0,
      created: new Date().toISOString(), started: null, finished: null, snapshot: null, error: null,
    };
    this.jobs.set(job.id, job);
    this.queue.push(job);
    this.persist(job);
    this.pump();
    return job;
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
    job.state = state;
    job.error = error;
    job.finished = new Date().toISOString();
    if (state === 'succeeded') job.progress = 1;
    this.lastProgress.delete(job.id);
    this.persist(job);
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
    this.persist(job);
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
      if (controller.signal.aborted || err.code === 'CANCELLED') {
        this.finish(job, 'cancelled', { code: 'CANCELLED', message: this.closing ? 'the server shut down while the job ran' : 'cancelled while running' });
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

  /** Stops accepting jobs, cancels queued and running ones and waits for them to stop. */
  async close(): Promise<void> {
    this.closing = true;
    for (const job of this.queue.splice(0)) this.finish(job, 'cancelled', { code: 'CANCELLED', message: 'the server shut down before the job started' });
    const waits = [...this.running.values()].map((r) => {
      r.controller.abort();
      return r.done;
    });
    await Promise.allSettled(waits);
  }
}
