import { Testing } from 'cdk8s';
import { expect } from 'vitest';
import { ConfigFileError, configErrorFromPropError, type LoadedConfig, readConfig } from '../../src/config/load-config.js';
import { PropError } from '../../src/core/prop-error.js';
import { MemoryCredentialStore } from '../../src/core/credential-store.js';
import { ObservabilityChart } from '../../src/observability-chart.js';

/** One store for every check: the same generated passwords, so bcrypt hashes are computed once. */
const store = new MemoryCredentialStore();

const lines = (error: ConfigFileError) => error.issues.map((i) => `${i.path}: ${i.message}`);

/**
 * The problems the app reports for config text, as `<key path>: <message>` lines; empty when it is valid. Checks
 * what the app checks: the schema when the file is read, then the constructs when the stack is built (with the
 * `flux` delivery where the config leaves the default `helm`, which needs a helm binary).
 */
export function configProblems(text: string): string[] {
  let loaded: LoadedConfig;
  try {
    loaded = readConfig(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigFileError);
    return lines(error as ConfigFileError);
  }
  const { props } = loaded;
  try {
    new ObservabilityChart(Testing.app(), 'obs', { ...props, delivery: props.delivery === 'helm' ? 'flux' : props.delivery, credentials: store });
  } catch (error) {
    if (!(error instanceof PropError)) throw error;
    return lines(configErrorFromPropError(error, loaded));
  }
  return [];
}
