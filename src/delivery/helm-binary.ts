import { spawnSync } from 'node:child_process';
import { DeliveryError } from '../core/chart-delivery.js';

/** The oldest helm the `helm` delivery mode supports. */
export const MIN_HELM_VERSION = '3.14.0';

const ALTERNATIVES =
  'Install helm >= ' + MIN_HELM_VERSION + ', or choose another delivery mode: ' +
  'charts.delivery: flux (Flux HelmRelease objects), argocd (Argo CD Applications) or external ' +
  '(charts managed elsewhere; only this library\'s own objects are emitted).';

/** Parses `v3.14.2+g...` or `3.14.2` into [major, minor, patch]. */
export function parseHelmVersion(text: string): [number, number, number] | undefined {
  const match = /v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function atLeast(version: [number, number, number], min: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) {
    if (version[i] !== min[i]) return version[i] > min[i];
  }
  return true;
}

/**
 * Checks that `executable` is a helm >= {@link MIN_HELM_VERSION}, and returns the version it reported.
 * Throws a {@link DeliveryError} that names the alternatives otherwise, before anything is synthesized.
 */
export function assertHelmAvailable(executable: string): string {
  const result = spawnSync(executable, ['version', '--template', '{{.Version}}'], { encoding: 'utf8' });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `no '${executable}' executable was found on PATH` : `'${executable}' could not run (${result.error.message})`;
    throw new DeliveryError(`charts.delivery is 'helm' (the default), but ${why}. ${ALTERNATIVES}`);
  }
  if (result.status !== 0) {
    throw new DeliveryError(`charts.delivery is 'helm', but '${executable} version' failed: ${result.stderr.trim()}. ${ALTERNATIVES}`);
  }
  const version = parseHelmVersion(result.stdout);
  const min = parseHelmVersion(MIN_HELM_VERSION)!;
  if (!version || !atLeast(version, min)) {
    throw new DeliveryError(`charts.delivery is 'helm', but '${executable}' reports version '${result.stdout.trim()}'. ${ALTERNATIVES}`);
  }
  return result.stdout.trim();
}
