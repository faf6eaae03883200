/** The `aiml-observability` command: dispatches to its subcommands (today: `agent`). */
import { runAgentCli } from './agent-cli.js';

const USAGE = 'usage: aiml-observability agent [options]   (aiml-observability agent --help for the options)\n';

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'agent') {
    return runAgentCli(rest, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, interactive: process.stdin.isTTY === true, env: process.env });
  }
  process.stderr.write(command && command !== '--help' && command !== '-h' ? `unknown command '${command}'\n${USAGE}` : USAGE);
  return command && command !== '--help' && command !== '-h' ? 2 : 0;
}
