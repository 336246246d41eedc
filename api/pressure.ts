/**
 * Event-loop load shedding. @fastify/under-pressure sheds on memory; its event-loop check reads a
 * histogram mean that is NaN (taken as infinite delay) when a sample window saw no tick, which on
 * a busy 2-core box happens during start-up (module loading, worker spawn) and shed the first
 * seconds of traffic. This check measures the same mean delay, skips a start-up grace period, and
 * treats a tickless window as the wall time it spanned.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export class LoopPressure {
  private readonly histogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly timer: NodeJS.Timeout;
  private last = performance.now();
  private readonly startedAt = performance.now();
  /** Mean event-loop delay over the last window, ms. */
  delayMs = 0;
  /** Decided once per window, so the per-request check is a field read. */
  underPressure = false;

  constructor(readonly maxDelayMs: number, readonly graceMs = 5000, readonly intervalMs = 1000) {
    this.histogram.enable();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private sample(): void {
    const now = performance.now();
    const mean = this.histogram.mean / 1e6 - 10;
    this.delayMs = Number.isNaN(mean) ? Math.max(0, now - this.last - this.intervalMs) : Math.max(0, mean);
    this.last = now;
    this.histogram.reset();
    this.underPressure = this.maxDelayMs > 0 && now - this.startedAt > this.graceMs && this.delayMs > this.maxDelayMs;
  }

  close(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}
