/**
 * The configs the upgrade test replays against the previous version's output (test/upgrade/baseline.json): the
 * one CI synthesizes (flux, every component on, MCP included) and the defaults with Argo CD delivery.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ObjectProjection } from './upgrade-projection.js';

/** A config file's text and where its test credentials go (relative to the project). */
export interface UpgradeConfig {
  readonly config: string;
  readonly credentialsFile: string;
}

const ciConfig = readFileSync(join(import.meta.dirname, '..', '..', '.ci', 'observability.ci.yaml'), 'utf8');

export const UPGRADE_CONFIGS: Readonly<Record<string, UpgradeConfig>> = {
  ci: { config: ciConfig, credentialsFile: '.ci/.credentials.json' },
  'argocd-defaults': { config: 'charts:\n  delivery: argocd\n', credentialsFile: '.aiml-observability/credentials.json' },
};

/** test/upgrade/baseline.json. */
export interface UpgradeBaseline {
  readonly $source: { readonly version: string; readonly commit: string; readonly generatedBy: string };
  readonly configs: Readonly<Record<string, UpgradeConfig & { readonly objects: Readonly<Record<string, ObjectProjection>> }>>;
}
