import path from 'node:path';
import { dataDir } from '../load.js';
import { DEFAULT_DATASET, intOption } from '../options.js';

/**
 * `npm start`: the API server on 127.0.0.1 with the bundled real dataset stored (once) and analysed;
 * prints the URL, the docs URL and, on first start, the generated admin key.
 */
export async function start(flags: { data?: string; port: string; host: string; threads?: string }): Promise<void> {
  const { startServer } = await import('../../../api/server.js');
  const server = await startServer({
    dataDir: dataDir(flags.data), host: flags.host, port: intOption(flags.port, '--port'),
    ...(flags.threads !== undefined && { threads: intOption(flags.threads, '--threads') }),
    bundled: { name: DEFAULT_DATASET.name, file: DEFAULT_DATASET.file, columns: DEFAULT_DATASET.columns.split(','), directed: true },
    logger: { level: process.env['LOG_LEVEL'] ?? 'warn' },
    handleSignals: true,
  });
  const lines = [
    `supernode API listening on ${server.url}`,
    `  docs:     ${server.docsUrl}`,
    server.adminKey !== null
      ? `  admin key (shown once, stored with mode 0600 in ${server.adminKeyFile}): ${server.adminKey}`
      : `  admin key: already generated on first start (see ${path.join(dataDir(flags.data), '.admin-key')})`,
    `  dataset:  ${DEFAULT_DATASET.name}${server.bundledJob ? ` (analysis job ${server.bundledJob} running)` : ''}`,
    `  try:      curl -H "Authorization: Bearer <key>" ${server.url}/v1/datasets/${DEFAULT_DATASET.name}/supernodes?limit=10`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>(() => {}); // serve until a signal closes the server
}

