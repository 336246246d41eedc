/**
 * Prometheus metrics (prom-client) on a registry per app: request counts and latency by route and
 * status, jobs by state, snapshot publications, and the default process metrics.
 */
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly latency: Histogram<'method' | 'route'>;
  readonly jobs: Counter<'kind' | 'state'>;
  readonly queue: Gauge<'state'>;
  readonly snapshots: Counter;
  readonly uploads: Counter<'outcome'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({ name: 'supernode_http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
    this.latency = new Histogram({
      name: 'supernode_http_request_duration_seconds', help: 'HTTP request latency', labelNames: ['method', 'route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5], registers: [this.registry],
    });
    this.jobs = new Counter({ name: 'supernode_jobs_total', help: 'jobs finished by kind and final state', labelNames: ['kind', 'state'], registers: [this.registry] });
    this.queue = new Gauge({ name: 'supernode_jobs', help: 'jobs queued or running now', labelNames: ['state'], registers: [this.registry] });
    this.snapshots = new Counter({ name: 'supernode_snapshots_published_total', help: 'snapshots written', registers: [this.registry] });
    this.uploads = new Counter({ name: 'supernode_uploads_total', help: 'edge uploads by outcome', labelNames: ['outcome'], registers: [this.registry] });
  }

  /**
   * Label children cached per route (its config object is one per method and path) and status:
   * the polled hot path builds no label key string and skips prom-client's label hashing.
   */
  private readonly children = new WeakMap<object, Map<number, { count: { inc(): void }; time: { observe(v: number): void } }>>();

  install(app: FastifyInstance): void {
    app.addHook('onResponse', (req, reply, done) => {
      const routeKey = req.routeOptions.config as object;
      let byStatus = this.children.get(routeKey);
      if (byStatus === undefined) this.children.set(routeKey, (byStatus = new Map()));
      let c = byStatus.get(reply.statusCode);
      if (c === undefined) {
        const route = req.routeOptions.url ?? 'unmatched';
        c = { count: this.requests.labels(req.method, route, String(reply.statusCode)), time: this.latency.labels(req.method, route) };
        byStatus.set(reply.statusCode, c);
      }
      c.count.inc();
      c.time.observe(reply.elapsedTime / 1000);
      done();
    });
  }
}
