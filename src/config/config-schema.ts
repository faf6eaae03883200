import { DEFAULT_NAMESPACE } from '../core/component-props.js';
import { DEFAULT_CREDENTIALS_FILE } from '../core/credential-store.js';
import { DELIVERY_MODES } from '../core/chart-delivery.js';
import { UPSTREAM_CHART_NAMES } from '../core/upstream-chart.js';
import { MCP_CONFIG_SCHEMA } from './mcp-config.js';
import { ALERTS_CONFIG_SCHEMA, ENDPOINTS_CONFIG_SCHEMA, EXPORTERS_CONFIG_SCHEMA } from './gpu-telemetry-config.js';
import { FLUENTBIT_CONFIG_SCHEMA, OPENSEARCH_CONFIG_SCHEMA } from './logs-config.js';
import type { ConfigField } from './schema.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_DOC = 'must be a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';

const toggle = (doc: string, on: boolean): ConfigField => ({ kind: 'boolean', default: on, doc });

/**
 * The config file's keys. The toggles and credentials have the meaning they have in the reference Helm
 * umbrella chart's values; the rest maps onto ObservabilityChartProps (see load-config.ts).
 */
export const CONFIG_SCHEMA = {
  kind: 'object',
  doc: 'observability.yaml',
  fields: {
    namespace: {
      kind: 'string',
      default: DEFAULT_NAMESPACE,
      doc: 'Namespace of every component.',
      pattern: /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
      patternDoc: DNS_LABEL_DOC,
    },
    charts: {
      kind: 'object',
      doc: 'How the upstream Helm charts are delivered.',
      fields: {
        delivery: {
          kind: 'enum',
          values: DELIVERY_MODES,
          default: 'helm',
          doc: '`helm`: rendered at synth time (needs helm >= 3.14); `flux`: HelmRepository + HelmRelease; `argocd`: Application; `external`: charts managed elsewhere, only our own objects are emitted.',
        },
        helmExecutable: { kind: 'string', default: 'helm', doc: 'The helm binary used by the `helm` mode.' },
        flux: {
          kind: 'object',
          doc: 'Options of the `flux` mode.',
          fields: { interval: { kind: 'string', default: '30m', doc: 'Reconcile interval of the HelmRepository and HelmRelease objects.' } },
        },
        argocd: {
          kind: 'object',
          doc: 'Options of the `argocd` mode.',
          fields: {
            namespace: { kind: 'string', default: 'argocd', doc: 'Namespace Argo CD watches for Applications.', pattern: DNS_LABEL, patternDoc: DNS_LABEL_DOC },
            project: { kind: 'string', default: 'default', doc: 'Argo CD project of the Applications.' },
          },
        },
        values: {
          kind: 'object',
          doc: 'Pass-through Helm values per upstream chart, merged over the computed values (objects merge, lists replace).',
          fields: Object.fromEntries(
            UPSTREAM_CHART_NAMES.map((name) => [name, { kind: 'map', doc: `Values for the ${name} chart (free-form, see the chart's values.yaml).` }]),
          ),
        },
      },
    },
    credentials: {
      kind: 'object',
      doc: 'Where generated passwords are kept.',
      fields: {
        file: { kind: 'string', default: DEFAULT_CREDENTIALS_FILE, doc: 'Local, git-ignored state file of generated passwords; reused by the next synth so the output stays identical.' },
      },
    },
    'prometheus-stack': {
      kind: 'object',
      doc: 'kube-prometheus-stack: Prometheus, Alertmanager, Grafana, node-exporter, kube-state-metrics.',
      fields: {
        enabled: toggle('Deploy the Prometheus stack.', true),
        releaseName: { kind: 'string', default: 'kube-prometheus-stack', doc: 'Helm release name; service names derive from it (at most 26 characters).', pattern: /^(?=.{1,26}$)[a-z]([-a-z0-9]*[a-z0-9])?$/, patternDoc: 'must be a DNS label of at most 26 characters' },
        retention: { kind: 'string', default: '15d', doc: 'How long Prometheus keeps samples.', pattern: /^\d+(ms|s|m|h|d|w|y)$/, patternDoc: 'must be a Prometheus duration such as 15d or 12h' },
        storageSize: { kind: 'string', default: '50Gi', doc: 'Prometheus volume size.', pattern: /^\d+(Ki|Mi|Gi|Ti)$/, patternDoc: 'must be a quantity such as 50Gi' },
        grafana: {
          kind: 'object',
          doc: 'Grafana admin credentials.',
          fields: {
            adminUser: { kind: 'string', default: 'admin', doc: 'Grafana admin user.' },
            adminPassword: { kind: 'string', minLength: 12, doc: 'Grafana admin password (at least 12 characters); generated and kept in the credentials file when absent.' },
            existingSecret: { kind: 'string', doc: 'Existing Secret with keys `admin-user` and `admin-password`; nothing secret is written to dist/.', pattern: DNS_LABEL, patternDoc: DNS_LABEL_DOC },
          },
        },
      },
    },
    opencost: {
      kind: 'object',
      doc: 'OpenCost cost allocation (needs prometheus-stack).',
      fields: {
        enabled: toggle('Deploy OpenCost.', true),
        clusterId: { kind: 'string', default: 'default-cluster', doc: 'Cluster id OpenCost reports under.' },
      },
    },
    exporters: EXPORTERS_CONFIG_SCHEMA,
    endpoints: ENDPOINTS_CONFIG_SCHEMA,
    alerts: ALERTS_CONFIG_SCHEMA,
    dashboards: {
      kind: 'object',
      doc: 'Grafana dashboards as code: GPU training, inference (vLLM), GPU fleet and cost (needs prometheus-stack).',
      fields: { enabled: toggle('Deliver the dashboards as ConfigMaps for the Grafana of prometheus-stack.', true) },
    },
    mcp: MCP_CONFIG_SCHEMA,
    opensearch: OPENSEARCH_CONFIG_SCHEMA,
    fluentbit: FLUENTBIT_CONFIG_SCHEMA,
  },
} as const satisfies ConfigField;
