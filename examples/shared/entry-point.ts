import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, YamlOutputType } from 'cdk8s';

/** How every example app writes its manifests: one `<chart>.k8s.yaml` file per chart. */
export const EXAMPLE_APP_OUTPUT = { outputFileExtension: '.k8s.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART } as const;

/**
 * When the module at `moduleUrl` is the process's entry point (`tsx examples/<name>/main.ts`, as `cdk8s synth -a`
 * runs it), builds the example into a new App and synthesizes it into `$CDK8S_OUTDIR` (set by `cdk8s synth`;
 * `dist` otherwise). Errors end the process with status 1 and a one-line message.
 */
export function runAsEntryPoint(moduleUrl: string, build: (app: App) => unknown): void {
  const entry = process.argv[1];
  if (entry === undefined || resolve(entry) !== fileURLToPath(moduleUrl)) return;
  try {
    const app = new App(EXAMPLE_APP_OUTPUT);
    build(app);
    app.synth();
  } catch (error) {
    process.stderr.write(`synth failed: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
