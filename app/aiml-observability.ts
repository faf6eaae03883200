/** The `aiml-observability` command: dispatches to its subcommands (`agent`, `agent serve`, `migrate`). */
import { runAgentCli } from './agent-cli.js';
import { runAgentServe } from './agent-serve.js';
import { MIGRATE_USAGE, runMigrate } from './migrate.js';

const USAGE =
  'usage: aiml-observability agent [options]         the diagnosis agent in the terminal (agent --help for the options)\n' +
  '       aiml-observability agent serve [options]   the same agent as a web chat (agent serve --help)\n' +
  '       aiml-observability migrate <values.yaml>   the reference chart\'s values to an observability.yaml (migrate --help)\n';

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'migrate') {
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(MIGRATE_USAGE);
      return 0;
    }
    return runMigrate(rest, { stdout: process.stdout, stderr: process.stderr });
  }
  if (command === 'agent' && rest[0] === 'serve') {
    return runAgentServe(rest.slice(1), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, interactive: false, env: process.env });
  }
  if (command === 'agent') {
    return runAgentCli(rest, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, interactive: process.stdin.isTTY === true, env: process.env });
  }
  process.stderr.write(command && command !== '--help' && command !== '-h' ? `unknown command '${command}'\n${USAGE}` : USAGE);
  return command && command !== '--help' && command !== '-h' ? 2 : 0;
}
