/**
 * A server process under test (test code): spawned in its own process group, waited for on a health URL, and
 * stopped (SIGTERM, SIGKILL after 5 s) in afterAll, on Ctrl-C and when the Node process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const running = new Set<ChildServer>();
process.once('exit', () => {
  for (const s of running) s.killNow();
});

export class ChildServer {
  private readonly log: string[] = [];
  private exited = false;

  private constructor(
    public readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (d: Buffer) => {
      this.log.push(d.toString());
      if (this.log.length > 200) this.log.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', () => {
      this.exited = true;
      running.delete(this);
    });
  }

  /** Starts `command` and waits until `healthUrl` answers 2xx. */
  static async start(name: string, command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; healthUrl: string; timeoutMs?: number }): Promise<ChildServer> {
    const child = spawn(command, [...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    const server = new ChildServer(name, child);
    running.add(server);
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    while (Date.now() < deadline) {
      if (server.exited) throw new Error(`${name} exited during start-up:\n${server.recentLog}`);
      try {
        if ((await fetch(options.healthUrl)).ok) return server;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await server.stop();
    throw new Error(`${name} not healthy at ${options.healthUrl} after ${options.timeoutMs ?? 30_000} ms:\n${server.recentLog}`);
  }

  get recentLog(): string {
    return this.log.join('');
  }

  killNow(): void {
    if (this.exited || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }

  async stop(): Promise<void> {
    if (this.exited || this.child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      process.kill(-this.child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => this.killNow(), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
