/**
 * Standalone server entry (used by the end-to-end tests and the benchmark as a child process):
 *   node --import tsx api/main.ts --data DIR [--port N] [--host H] [--threads N] [--job-nice N] [--test-hooks] [--quiet]
 * Prints one JSON line on stdout once listening: {url, docsUrl, adminKey, adminKeyFile, pid}.
 * SIGTERM/SIGINT shut it down gracefully.
 */
import { parseArgs } from 'node:util';
import { parseCorsOrigins } from './cors.js';
import { limitsFromEnv } from './limits.js';
import { startServer } from './server.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' }, port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' },
    threads: { type: 'string' }, 'test-hooks': { type: 'boolean', default: false }, quiet: { type: 'boolean', default: false },
    'rate-limit': { type: 'string' }, 'job-nice': { type: 'string' }, 'cors-origin': { type: 'string' },
  },
});
if (values.data === undefined) {
  process.stderr.write('usage: api/main.ts --data DIR [--port N] [--host H] [--threads N]\n');
  process.exit(2);
}
const server = await startServer({
  dataDir: values.data, host: values.host, port: Number(values.port),
  ...(values.threads !== undefined && { threads: Number(values.threads) }),
  testHooks: values['test-hooks'],
  ...(values['cors-origin'] !== undefined && { corsOrigins: parseCorsOrigins(values['cors-origin']) }),
  limits: { ...limitsFromEnv(), ...(values['rate-limit'] !== undefined && { rateLimit: Number(values['rate-limit']) }) },
  ...(values['job-nice'] !== undefined && { jobNice: Number(values['job-nice']) }),
  logger: values.quiet ? { level: 'warn' } : { level: process.env['LOG_LEVEL'] ?? 'info' },
});
process.stdout.write(`${JSON.stringify({ url: server.url, docsUrl: server.docsUrl, adminKey: server.adminKey, adminKeyFile: server.adminKeyFile, pid: process.pid })}\n`);
