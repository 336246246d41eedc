// Runs the CLI from source, as bin/supernode.js runs it from dist/ (tests need no build step).
import { main } from '../../engine/cli/main.js';

main(['node', 'supernode', ...process.argv.slice(2)]).then((code) => {
  process.exitCode = code;
});
