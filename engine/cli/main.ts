/**
 * The `supernode` command line. Commands are thin: flags -> engine/cli/load.ts -> catalogue or
 * ranking functions -> engine/cli/output.ts. Errors print one line on stderr, `supernode: CODE: message`,
 * and exit 1 (the scripting contract in the README), usage errors from commander included (an
 * unknown flag, a missing argument, a bad choice: `supernode: BAD_OPTION: ...`, no help dump).
 *
 * This file declares the commands and nothing else: each command's module (engine/cli/commands/)
 * is imported only when that command runs, so `supernode --help` loads commander alone, and a
 * command pays only for the engine parts it uses. A new command is one file there and one
 * declaration here.
 */
import { Command, CommanderError, Option } from 'commander';
import { isSupernodeError } from '../errors.js';
import { graphOptions, outputOptions, pendingNotes, VERSION } from './options.js';
import type { ComputeFlags } from './commands/compute.js';
import type { ReportFlags, ReportKind } from './commands/report.js';

export { DEFAULT_DATASET, ROOT } from './options.js';

/** An action whose module is imported when the command runs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function lazy<M>(load: () => Promise<M>, pick: (m: M) => (...args: any[]) => unknown): (...args: any[]) => Promise<void> {
  return async (...args) => {
    await pick(await load())(...args);
  };
}

export function program(): Command {
  const p = new Command('supernode')
    .description('Find the members who hold online communities together.')
    .version(VERSION, '-V, --version', 'print the version (package.json)')
    // Usage errors print one line, `supernode: BAD_OPTION: ...`, from main(); commander's own
    // error text (and its help dump) is swallowed. Set before any subcommand so each inherits it.
    .configureOutput({ outputError: () => {} })
    .exitOverride();
  // The algorithm list needs the catalogue (every kernel): load it only when `compute` is the command.
  p.hook('preSubcommand', async (_p, sub) => {
    if (sub.name() !== 'compute') return;
    const { algorithmNames } = await import('../catalog/index.js');
    sub.description(`compute one measure for every member (the scripting contract). Algorithms: ${algorithmNames().join(', ')}`);
  });
  outputOptions(graphOptions(p.command('compute <algorithm> [file]')
    .description('compute one measure for every member (the scripting contract); `supernode compute --help` lists the algorithms'), '--input-format'))
    .option('--seed <n>', 'seed for every random choice', '42')
    .option('--damping <x>', 'PageRank damping factor, in (0, 1) (default 0.85)')
    .option('--tolerance <x>', 'PageRank stops at an L1 change below this (default 1e-10)')
    .option('--max-iterations <n>', 'PageRank iteration cap (default 1000)')
    .option('--sources <ids>', 'member ids for personalized-pagerank, comma separated')
    .option('--epsilon <x>', 'error bound (betweenness-approx, seeds)')
    .option('--delta <x>', 'failure probability (betweenness-approx)')
    .option('--resolution <x>', 'modularity resolution (louvain, leiden)')
    .option('--k <n>', 'budget (seeds)')
    .option('--model <m>', 'spread model (seeds): ic | lt | wc')
    .option('--p <x>', 'uniform activation probability (seeds, ic)')
    .option('--threads <n>', 'worker threads (default: all cores; 1 = in-thread)')
    .action(lazy(() => import('./commands/compute.js'), (m) => m.compute));
  outputOptions(graphOptions(p.command('rank [file]').description('top members by PageRank with degrees and strengths'), '--input-format'))
    .option('--top <n>', 'how many members (csv/arrow/parquet: every member unless given)')
    .option('--seed <n>', 'seed for every random choice', '42')
    .option('--damping <x>', 'PageRank damping factor, in (0, 1) (default 0.85)')
    .option('--tolerance <x>', 'PageRank stops at an L1 change below this (default 1e-10)')
    .option('--max-iterations <n>', 'PageRank iteration cap (default 1000)')
    .option('--threads <n>', 'worker threads (default: all cores)')
    .action(lazy(() => import('./commands/rank.js'), (m) => m.rank));
  const reports: [ReportKind, string][] = [
    ['supernodes', 'members ranked by the explained super-node score (influence, reach, embeddedness, brokerage)'],
    ['leaders', 'opinion leaders per community (in-strength from members of the same community)'],
    ['roles', 'Guimera-Amaral roles: within-community z-score and participation coefficient, hubs first'],
    ['brokers', 'brokers: lowest Burt constraint among members linking two or more communities'],
    ['rising', 'rising stars: largest PageRank rank gain, last window vs the one before (--window, default 30d)'],
    ['communities', 'Leiden communities: size, cohesion, conductance, life cycle, top members'],
  ];
  for (const [kind, description] of reports) {
    outputOptions(graphOptions(p.command(`${kind} [file]`).description(description), '--input-format'))
      .option('--top <n>', 'how many rows (csv/arrow/parquet: every row unless given)')
      .option('--seed <n>', 'seed for every random choice', '42')
      .option('--threads <n>', 'worker threads (default: all cores)')
      .action(async (file: string | undefined, flags: ReportFlags & { flow?: boolean }) => {
        // `communities --flow` is its own view: the matrix and the heaviest flows, named.
        if (flags.flow) await (await import('./commands/flow.js')).flowCommand(file, flags);
        else await (await import('./commands/report.js')).report(kind, file, flags);
      });
  }
  p.commands.find((c) => c.name() === 'communities')!
    .option('--flow', 'the inter-community interaction matrix and the heaviest flows between two communities, named');
  graphOptions(p.command('ties [file]').description('strong and weak ties (reciprocity, intensity, neighbourhood overlap) and the bridges between communities'))
    .option('--top <n>', 'how many rows per table', '20')
    .option('--members', 'per member: ties, share of strong ties, bridges')
    .option('--seed <n>', 'seed of the community detection', '42')
    .option('--json', 'machine-readable output: {ties: [{source, target, weight, count, reciprocal, overlap, class, bridge, last}], reciprocity}')
    .action(lazy(() => import('./commands/ties.js'), (m) => m.tiesCommand));
  graphOptions(p.command('core-periphery [file]').description('core and periphery (Borgatti-Everett coreness, core cut) and who moved into or out of the core over the last two --window windows (default 30d)'))
    .option('--top <n>', 'how many rows per table', '20')
    .option('--json', 'machine-readable output: {core, members, movement: {windows, joined, left}}')
    .action(lazy(() => import('./commands/core-periphery.js'), (m) => m.corePeripheryCommand));
  graphOptions(p.command('contribution [file]').description('contribution score per member and per --window (default 30d) pay period: recognition, conversations started, bridges, cross-community interactions'))
    .option('--top <n>', 'how many members per window', '20')
    .option('--windows <n>', 'how many consecutive windows, ending at the latest interaction', '3')
    .option('--seed <n>', 'seed of the community detection', '42')
    .option('--json', 'machine-readable output: {windows: [{from, to, interactions, weights, members: [{id, rank, points, score, components}]}]}')
    .action(lazy(() => import('./commands/contribution.js'), (m) => m.contributionCommand));
  outputOptions(graphOptions(p.command('seeds [file]').description('seed users: k members maximising expected spread (IMM), with a Monte Carlo spread estimate'), '--input-format'))
    .option('--k <n>', 'budget', '50')
    .addOption(new Option('--model <m>', 'spread model: wc (weighted cascade), ic (uniform p), lt (linear threshold)').choices(['wc', 'ic', 'lt']).default('wc'))
    .option('--p <x>', 'activation probability for --model ic')
    .option('--epsilon <x>', 'IMM approximation parameter', '0.1')
    .option('--seed <n>', 'seed', '42')
    .option('--exclude <ids>', 'members never to pick (staff, bots): a comma-separated list or a file of ids')
    .option('--candidates <ids>', 'pick only among these members: a comma-separated list or a file of ids')
    .action(lazy(() => import('./commands/seeds.js'), (m) => m.seedsCommand));
  graphOptions(p.command('trajectory [file]').description("one or more members' rank over consecutive time windows (--member a,b --step 30d)"))
    .requiredOption('--member <ids>', 'member ids, comma separated')
    .option('--step <duration>', 'window length', '30d')
    .addOption(new Option('--measure <m>', 'influence measure to rank by').choices(['pagerank', 'in-strength']).default('pagerank'))
    .option('--json', 'machine-readable output')
    .action(lazy(() => import('./time.js'), (m) => m.trajectoryCommand));
  graphOptions(p.command('stability [file]').description('bootstrap rank stability of the top k: share of resamples each stays in the top k, 90% rank interval'))
    .option('--k <n>', 'size of the top list', '10')
    .option('--resamples <n>', 'bootstrap resamples of the interactions', '100')
    .addOption(new Option('--measure <m>', 'measure to rank by (supernode: the composite score, betweenness sampled per resample)').choices(['pagerank', 'in-strength', 'supernode']).default('pagerank'))
    .option('--seed <n>', 'seed of the resampling', '42')
    .option('--json', 'machine-readable output')
    .action(lazy(() => import('./time.js'), (m) => m.stabilityCommand));
  graphOptions(p.command('export [file]').description('a graph for Gephi, NetworkX or a browser (GraphML, GEXF, graphology JSON), members\' measures as node attributes: the whole graph, --top N, --community C, --ego M, or --communities'), '--input-format')
    .option('--format <format>', 'graphml | gexf | graphology (default: by --output extension, else graphml)')
    .option('--output <file>', 'write to FILE (default: stdout)')
    .option('--top <n>', 'the top N super-nodes and the ties among them')
    .option('--community <c>', 'one community (its best-scored members up to --limit)')
    .option('--ego <member>', "one member's ego network")
    .option('--radius <r>', 'hops of the ego network (1-3)', '1')
    .option('--communities', 'the community super-graph: communities as nodes, flow as edges')
    .option('--limit <n>', 'most members (or communities) in the graph (default 50000)')
    .option('--seed <n>', 'seed for every random choice', '42')
    .option('--threads <n>', 'worker threads (default: all cores)')
    .action(lazy(() => import('./commands/export.js'), (m) => m.exportGraph));
  graphOptions(p.command('ingest <file>').description('store an edge file as a dataset version (Arrow IPC) in the data directory'))
    .option('--name <name>', 'dataset name (default: file name)')
    .action(lazy(() => import('./commands/store.js'), (m) => m.ingest));
  p.command('datasets').description('list stored datasets')
    .option('--data <dir>', 'data directory')
    .option('--json', 'machine-readable output')
    .action(lazy(() => import('./commands/store.js'), (m) => m.datasets));
  p.command('start').description('start the API server with the bundled real dataset stored and analysed')
    .option('--data <dir>', 'data directory (default $SUPERNODE_DATA or ./data)')
    .option('--port <n>', 'port (0 = any free port)', process.env['PORT'] ?? '8080')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--threads <n>', 'worker threads (default: all cores)')
    .option('--cors-origin <list>', 'browser origins allowed to call the API, comma separated (default $SUPERNODE_CORS_ORIGINS; none = no CORS)')
    // Defaults in engine/limits.ts (API_INPUT_LIMITS, ANALYSIS_HEAP_MB); docs/operations.md.
    .option('--max-upload-bytes <n>', 'refuse an upload past N decompressed bytes, 413 (default 4 GiB; $SUPERNODE_MAX_UPLOAD_BYTES)')
    .option('--max-upload-rows <n>', 'refuse an upload past N edge rows, 413 (default 50000000; $SUPERNODE_MAX_UPLOAD_ROWS)')
    .option('--max-line-bytes <n>', 'refuse an upload line longer than N bytes, 413 (default 1048576; $SUPERNODE_MAX_LINE_BYTES)')
    .option('--job-heap-mb <n>', 'heap of each analysis thread, MiB: past it the job fails, not the server (default 4096)')
    .action(lazy(() => import('./commands/start.js'), (m) => m.start));
  return p;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    for (const note of pendingNotes.splice(0)) process.stderr.write(`supernode: note: ${note}\n`);
    return 0;
  } catch (e) {
    pendingNotes.length = 0;
    if (e instanceof CommanderError) {
      // --help and --version exit 0; `supernode` alone printed its help on stderr: a usage error.
      if (e.exitCode === 0) return 0;
      if (e.code !== 'commander.help') {
        process.stderr.write(`supernode: BAD_OPTION: ${e.message.replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ')} (see --help)\n`);
      }
      return 1;
    }
    if (isSupernodeError(e)) {
      process.stderr.write(`supernode: ${e.code}: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return 1;
    }
    process.stderr.write(`supernode: INTERNAL: ${e instanceof Error ? e.stack?.split('\n').slice(0, 3).join(' | ') : String(e)}\n`);
    return 1;
  }
}
