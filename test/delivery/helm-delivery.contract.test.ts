/**
 * Contract test of the `helm` delivery mode. The real helm cannot run here (no chart repositories reachable), so a
 * stand-in executable (test/support/helm-standin/helm.mjs) takes its place: it records the arguments the cdk8s Helm
 * construct passes and the values file it writes. What is exercised: our arguments and values. What is not: the
 * real charts' templates (see the README, "What the tests exercise").
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { UPSTREAM_CHARTS } from '../../src/core/upstream-chart.js';
import { ofKind, synthStack, type K8sObject } from '../support/synth.js';

const HELM = join(import.meta.dirname, '..', 'support', 'helm-standin', 'helm.mjs');

type Call = { args: string[]; release: string; chart: string; values: string | null };

describe('helm delivery (stand-in helm)', () => {
  let calls: Call[];
  let chart: ReturnType<typeof synthStack>['chart'];

  beforeAll(() => {
    const log = join(mkdtempSync(join(tmpdir(), 'helm-log-')), 'calls.jsonl');
    process.env.HELM_STANDIN_LOG = log;
    try {
      ({ chart } = synthStack({ delivery: 'helm', namespace: 'obs', deliveryOptions: { helm: { helmExecutable: HELM } } }));
    } finally {
      delete process.env.HELM_STANDIN_LOG;
    }
    calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Call);
  });

  it('renders each enabled chart once, with its pinned repo, version, release name and namespace', () => {
    const byChart = Object.fromEntries(calls.map((c) => [c.chart, c]));
    for (const [name, release] of [['kube-prometheus-stack', chart.prometheusStack!.release], ['opencost', chart.openCost!.release]] as const) {
      const call = byChart[name]!;
      const pinned = UPSTREAM_CHARTS[name];
      expect(call.args[0]).toBe('template');
      expect(call.args[call.args.indexOf('--repo') + 1]).toBe(pinned.repoUrl);
      expect(call.args[call.args.indexOf('--version') + 1]).toBe(pinned.version);
      expect(call.args[call.args.indexOf('--namespace') + 1]).toBe('obs');
      expect(call.release).toBe(release.releaseName);
      expect(call.args).toContain('--include-crds');
      expect(parse(call.values!)).toEqual(release.values);
    }
  });

  it('renders exactly the charts the flux delivery releases for the same props', () => {
    const flux = synthStack({ delivery: 'flux', namespace: 'obs' }).objects;
    const released = ofKind(flux, 'HelmRelease').map((r) => r.spec.chart.spec.chart as string);
    expect(calls.map((c) => c.chart).sort()).toEqual(released.sort());
  });

  it('puts the rendered CRDs and operators in the setup chart, applied first', () => {
    const setup = chart.setupChart.toJson() as K8sObject[];
    expect(ofKind(setup, 'CustomResourceDefinition').map((c) => c.metadata.name)).toEqual(
      expect.arrayContaining(['widgets.kube-prometheus-stack.example.com', 'widgets.opencost.example.com']),
    );
    const rendered = ofKind(setup, 'ServiceAccount').filter((s) => s.metadata.name.endsWith('-operator'));
    expect(rendered.map((s) => s.metadata.name)).toEqual(expect.arrayContaining(['kube-prometheus-stack-operator', 'opencost-operator']));
    // dcgm-exporter is a node agent: its release goes to the node agents' namespace, every other one to the stack's.
    for (const sa of rendered) expect(sa.metadata.namespace, sa.metadata.name).toBe(sa.metadata.name === 'dcgm-exporter-operator' ? 'obs-node-agents' : 'obs');
    expect(ofKind(chart.toJson() as K8sObject[], 'CustomResourceDefinition')).toEqual([]);
  });
});
