/**
 * docs/dashboards.md, rendered from the dashboard models and the default PrometheusStack's names (Grafana Service,
 * port, admin Secret), so the documentation always matches what a default synth deploys.
 * `npx tsx scripts/dashboards-doc.ts` rewrites the file; test/gpu-dashboards.test.ts fails when it is stale.
 * @module
 */
import { Chart, Testing } from 'cdk8s';
import { MemoryCredentialStore } from '../src/core/credential-store.js';
import { ExternalDelivery } from '../src/delivery/external-delivery.js';
import { dashboardsMarkdown } from './dashboards-markdown.js';
import { DASHBOARD_VARIABLES as V } from '../src/dashboards/toolkit/dashboard-ids.js';
import { GpuDashboards } from '../src/dashboards/gpu-dashboards.js';
import { GRAFANA_ADMIN_SECRET_KEYS, PrometheusStack } from '../src/prometheus/prometheus-stack.js';

/** Renders docs/dashboards.md; `metricNames` lists the metrics a PromQL expression (with Grafana variables) reads. */
export function renderDashboardsDoc(metricNames: (expr: string) => readonly string[]): string {
  const chart = new Chart(Testing.app(), 'docs');
  const stack = new PrometheusStack(chart, 'prometheus-stack', { delivery: new ExternalDelivery(), credentials: new MemoryCredentialStore() });
  const gpuDashboards = new GpuDashboards(chart, 'gpu-dashboards', { grafana: stack, neuron: true });
  return dashboardsMarkdown({
    dashboards: gpuDashboards.dashboards,
    grafana: {
      namespace: stack.prometheusNamespace,
      serviceName: stack.grafanaServiceName,
      port: stack.grafanaPort,
      adminSecretName: stack.grafanaAdminSecretName,
      adminPasswordKey: GRAFANA_ADMIN_SECRET_KEYS.password,
    },
    metricNames,
    examples: {
      training: { [V.namespace]: 'ml-training', [V.rayCluster]: 'llama-finetune' },
      inference: { [V.namespace]: 'ml-serving', [V.model]: 'meta-llama/Llama-3.1-8B-Instruct' },
      fleetAndCost: { [V.namespace]: 'ml-training' },
      neuron: { [V.node]: 'ip-10-0-7-12.ec2.internal' },
    },
  });
}
