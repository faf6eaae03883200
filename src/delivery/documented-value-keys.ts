import type { UpstreamChartName } from '../core/upstream-chart.js';

/**
 * Values keys the library sets that are not in a chart's own values.yaml, each with the reason it is valid:
 * keys of a subchart (kube-prometheus-stack bundles grafana, kube-state-metrics and prometheus-node-exporter),
 * or entries of a free-form map. The values-key test accepts exactly these, and a key path that starts with one
 * of them.
 */
export const DOCUMENTED_VALUE_KEYS: Readonly<Partial<Record<UpstreamChartName, Readonly<Record<string, string>>>>> = {
  'kube-prometheus-stack': {
    'grafana.fullnameOverride': 'grafana subchart: fixes the Grafana Service name',
    'grafana.plugins': 'grafana subchart: plugins installed at start-up',
    'grafana.resources': 'grafana subchart: Grafana container requests/limits',
    'grafana.sidecar.resources': 'grafana subchart: requests/limits of its k8s-sidecar containers (dashboards, datasources; default {})',
    'grafana.grafana.ini': 'grafana subchart: grafana.ini settings (`auth.sigv4_auth_enabled` for a SigV4 central-store datasource)',
    'grafana.envValueFrom': 'grafana subchart: environment variables from Secrets (the OpenSearch logs datasource credentials and CA)',
    'kube-state-metrics.resources': 'kube-state-metrics subchart: container requests/limits',
    'prometheus-node-exporter.resources': 'prometheus-node-exporter subchart: container requests/limits',
    'prometheus-node-exporter.tolerations': 'prometheus-node-exporter subchart: pod tolerations',
  },
};
