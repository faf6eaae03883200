/**
 * The package's `bin` (`aiml-observability`), bundled by `npm run build` to lib/app/aiml-observability.js: runs
 * the command and exits with its code.
 */
import { main } from './aiml-observability.js';

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Connections are closed by now; a lingering socket must not keep the process alive.
setTimeout(() => process.exit(code), 1000).unref();
