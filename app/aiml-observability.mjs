#!/usr/bin/env node
// The package's `bin`. Until the package is compiled to lib/ (npm run build), it runs the TypeScript entry through
// tsx's loader; once lib/ exists, point the bin at lib/app/aiml-observability.js instead.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./aiml-observability.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
// connections are closed by now; do not let a lingering socket keep the process alive
setTimeout(() => process.exit(code), 1000).unref();
