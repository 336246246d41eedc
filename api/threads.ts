/**
 * Worker threads the API starts for the CPU-heavy part of a job (analysis orchestration, seeds).
 *
 * The thread that answers HTTP must never wait for a core behind analysis work: on a 2-core
 * machine a job thread, the kernel threads and the event loop compete, and every millisecond the
 * event loop waits for the scheduler is added to every request in flight. So job threads lower
 * their own scheduling priority (Linux: nice is per thread) as their first step, as piscina does
 * for the kernel threads (`niceIncrement`). They still get every idle cycle; they only yield when
 * the event loop has work.
 */
import { type ResourceLimits, Worker } from 'node:worker_threads';

/** Nice increment for job and kernel threads unless configured (19 = lowest priority). */
export const DEFAULT_JOB_NICE = 19;

/**
 * Starts `file` (a sibling module of the caller, named without extension) as a worker thread:
 * the compiled .js in production, the .ts through tsx in source runs (tests, benchmarks).
 */
export function startWorker(callerUrl: string, file: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const opts = { workerData, ...(resourceLimits !== undefined && { resourceLimits }) };
  if (callerUrl.endsWith('.ts')) {
    // Under tsx the entry must be plain JS that registers the loader before importing the .ts file.
    const url = new URL(`${file}.ts`, callerUrl).href;
    return new Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(url)}); })`, { eval: true, ...opts });
  }
  return new Worker(new URL(`${file}.js`, callerUrl), opts);
}

/**
 * Lowers the calling thread's CPU priority by `increment` (0 = leave it). Uses @napi-rs/nice, the
 * optional native module piscina uses for the same purpose; without it (another platform, a
 * failed optional install) the thread keeps its priority, which is slower under load but correct.
 */
export async function lowerThisThread(increment: number): Promise<boolean> {
  if (!(increment > 0)) return false;
  try {
    // A variable specifier: the module is optional and has no types to resolve at compile time.
    const name = '@napi-rs/nice';
    const mod = (await import(name)) as { nice?: (n: number) => number; default?: { nice?: (n: number) => number } };
    const nice = mod.nice ?? mod.default?.nice;
    if (nice === undefined) return false;
    nice(increment);
    return true;
  } catch {
    return false;
  }
}
