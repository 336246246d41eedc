import net from 'node:net';
import path from 'node:path';
import { SupernodeError } from '../../errors.js';
import { dataDir } from '../load.js';
import { DEFAULT_DATASET, intOption } from '../options.js';

/** A listen failure as a coded error naming the address and what to do (no stack). */
function listenError(err: NodeJS.ErrnoException, host: string, port: number): SupernodeError {
  const why = err.code === 'EADDRINUSE' ? 'is in use by another process'
    : err.code === 'EACCES' ? 'needs privileges (ports below 1024)'
      : err.code === 'EADDRNOTAVAIL' ? 'is not an address of this machine' : `failed (${err.code ?? err.message})`;
  return new SupernodeError('LISTEN_FAILED', `${host}:${port} ${why}; choose another with --port (or PORT)`);
}

/** Binds and releases host:port, so a taken port fails in milliseconds, before any data is stored. */
export async function checkPort(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, host, port)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/**
 * `npm start`: the API server on 127.0.0.1 with the bundled real dataset stored (once) and analysed;
 * prints the URL, the docs URL and, on first start, the generated admin key.
 */
export async function start(flags: {
  data?: string; port: string; host: string; threads?: string; corsOrigin?: string;
  maxUploadBytes?: string; maxUploadRows?: string; maxLineBytes?: string; jobHeapMb?: string;
}): Promise<void> {
  const port = intOption(flags.port, '--port');
  await checkPort(flags.host, port);
  const [{ startServer }, { limitsFromEnv }, { parseCorsOrigins }] = await Promise.all([import('../../../api/server.js'), import('../../../api/limits.js'), import('../../../api/cors.js')]);
  const { limitValue } = await import('../../limits.js');
  const limits = {
    ...limitsFromEnv(),
    ...(flags.maxUploadBytes !== undefined && { uploadBytes: limitValue(flags.maxUploadBytes, '--max-upload-bytes') }),
    ...(flags.maxUploadRows !== undefined && { uploadRows: limitValue(flags.maxUploadRows, '--max-upload-rows') }),
    ...(flags.maxLineBytes !== undefined && { lineBytes: limitValue(flags.maxLineBytes, '--max-line-bytes') }),
  };
  const server = await startServer({
    dataDir: dataDir(flags.data), host: flags.host, port, limits,
    ...(flags.jobHeapMb !== undefined && { jobHeapMb: limitValue(flags.jobHeapMb, '--job-heap-mb') }),
    ...(flags.threads !== undefined && { threads: intOption(flags.threads, '--threads') }),
    corsOrigins: parseCorsOrigins(flags.corsOrigin ?? process.env['SUPERNODE_CORS_ORIGINS']),
    bundled: { name: DEFAULT_DATASET.name, file: DEFAULT_DATASET.file, columns: DEFAULT_DATASET.columns.split(','), directed: true },
    logger: { level: process.env['LOG_LEVEL'] ?? 'warn' },
    handleSignals: true,
  }).catch((err: NodeJS.ErrnoException) => {
    // Someone took the port between the check and the listen.
    throw err.code === 'EADDRINUSE' || err.code === 'EACCES' ? listenError(err, flags.host, port) : err;
  });
  const lines = [
    `supernode API listening on ${server.url}`,
    `  docs:     ${server.docsUrl}`,
    `  dashboard: ${server.dashboardUrl}  (one-time login link, valid 15 min; or type a key on the page)`,
    server.adminKey !== null
      ? `  admin key (shown once, stored with mode 0600 in ${server.adminKeyFile}): ${server.adminKey}`
      : `  admin key: already generated on first start (see ${path.join(dataDir(flags.data), '.admin-key')})`,
    `  dataset:  ${DEFAULT_DATASET.name}${server.bundledJob ? ` (analysis job ${server.bundledJob} running)` : ''}`,
    `  try:      curl -H "Authorization: Bearer <key>" ${server.url}/v1/datasets/${DEFAULT_DATASET.name}/supernodes?limit=10`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>(() => {}); // serve until a signal closes the server
}
