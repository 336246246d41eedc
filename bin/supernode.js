#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `npm ci`/`npm install`
// through the `prepare` script), so `npx supernode` starts without a TypeScript loader.
import { main } from '../dist/engine/cli/main.js';

main(process.argv).then((code) => {
  process.exitCode = code;
});
