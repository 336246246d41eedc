/**
 * Standalone server entry (used by the end-to-end tests and the benchmark as a child process):
 *   node --import tsx api/main.ts --data DIR [--port N] [--host H] [--threads N] [--job-nice N] [--test-hooks] [--quiet]
 *     [--max-upload-bytes N] [--max-upload-rows N] [--max-line-bytes N] [--job-heap-mb N]   (docs/operations.md)
 * Prints one JSON line on stdout once listening: {url, docsUrl, adminKey, adminKeyFile, pid}.
 * SIGTERM/SIGINT shut it down gracefully.
 */
import { parseArgs } from 'node:util';
import { limitValue } from '../engine/limits.js';
import { parseCorsOrigins } from './cors.js';
import { limitsFromEnv } from './limits.js';
import { startServer } from './server.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' }, port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' },
    threads: { type: 'string' }, 'test-hooks': { type: 'boolean', default: false }, quiet: { type: 'boolean', default: false },
    'rate-limit': { type: 'string' }, 'job-nice': { type: 'string' },
    'max-upload-bytes': { type: 'string' }, 'max-upload-rows': { type: 'string' }, 'max-line-bytes': { type: 'string' },
    'job-heap-mb': { type: 'string' }, 'cors-origin': { type: 'string' },
  },
});
/** The upload limits given as flags (engine/limits.ts has the defaults). */
const inputLimits = {
  ...(values['max-upload-bytes'] !== undefined && { uploadBytes: limitValue(values['max-upload-bytes'], '--max-upload-bytes') }),
  ...(values['max-upload-rows'] !== undefined && { uploadRows: limitValue(values['max-upload-rows'], '--max-upload-rows') }),
  ...(values['max-line-bytes'] !== undefined && { lineBytes: limitValue(values['max-line-bytes'], '--max-line-bytes') }),
};
if (values.data === undefined) {
  process.stderr.write('usage: api/main.ts --data DIR [--port N] [--host H] [--threads N]\n');
  process.exit(2);
}
const server = await startServer({
  dataDir: values.data, host: values.host, port: Number(values.port),
  ...(values.threads !== undefined && { threads: Number(values.threads) }),
  testHooks: values['test-hooks'],
  ...(values['cors-origin'] !== undefined && { corsOrigins: parseCorsOrigins(values['cors-origin']) }),
  limits: { ...limitsFromEnv(), ...inputLimits, ...(values['rate-limit'] !== undefined && { rateLimit: Number(values['rate-limit']) }) },
  ...(values['job-heap-mb'] !== undefined && { jobHeapMb: limitValue(values['job-heap-mb'], '--job-heap-mb') }),
  ...(values['job-nice'] !== undefined && { jobNice: Number(values['job-nice']) }),
  logger: values.quiet ? { level: 'warn' } : { level: process.env['LOG_LEVEL'] ?? 'info' },
});
process.stdout.write(`${JSON.stringify({ url: server.url, docsUrl: server.docsUrl, adminKey: server.adminKey, adminKeyFile: server.adminKeyFile, pid: process.pid })}\n`);
