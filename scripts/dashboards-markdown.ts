/**
 * Renders the GPU dashboards' documentation (docs/dashboards.md) from the dashboard models themselves, so the
 * panel tables, UIDs, variables and links cannot drift from what is deployed.
 * @module
 */
import { GPU_DASHBOARD_NAMES, gpuDashboardUrl, type GpuDashboardName } from '../src/dashboards/toolkit/dashboard-ids.js';
import { isOpenSearchLogsQuery, isPrometheusQuery, isRow, type GrafanaDashboard } from '../src/dashboards/toolkit/model.js';
import { EXPORTER_VERSIONS, exportersOfPanels, type ExporterKey } from './exporter-versions.js';

/** The Grafana to open the dashboards in (PrometheusStack knows these names). */
export interface GrafanaAccess {
  readonly namespace: string;
  readonly serviceName: string;
  readonly port: number;
  readonly adminSecretName: string;
  readonly adminPasswordKey: string;
}

/** Inputs of {@link dashboardsMarkdown}. */
export interface DashboardsMarkdownInput {
  readonly dashboards: Readonly<Partial<Record<GpuDashboardName, GrafanaDashboard>>>;
  readonly grafana: GrafanaAccess;
  /** Metric names a PromQL expression reads (a PromQL parser; Grafana variables already substituted or tolerated). */
  readonly metricNames: (expr: string) => readonly string[];
  /** Example variable values for the links. */
  readonly examples?: Readonly<Partial<Record<GpuDashboardName, Readonly<Record<string, string>>>>>;
}

/** Local port the instructions forward Grafana to. */
const LOCAL_PORT = 3000;

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string) => `\`${text}\``;

/** Splits a panel description into what it shows and what a bad value means (the part from "Bad:" on). */
export function splitDescription(description: string): { shows: string; bad: string } {
  const at = description.indexOf('Bad:');
  if (at < 0) return { shows: description.trim(), bad: '' };
  return { shows: description.slice(0, at).trim(), bad: description.slice(at + 'Bad:'.length).trim() };
}

/** docs/dashboards.md. */
export function dashboardsMarkdown(input: DashboardsMarkdownInput): string {
  const { grafana } = input;
  const lines: string[] = [];
  const base = `http://localhost:${LOCAL_PORT}`;
  lines.push(
    '## GPU dashboards',
    '',
    'Five Grafana dashboards (Neuron only when `exporters.neuron` is on) are defined as code (`dashboards/*.ts`, built with the panel and query builders of Grafana\'s',
    '`@grafana/grafana-foundation-sdk` through the toolkit in `src/dashboards/toolkit/`, which lays panels out and checks',
    "them), rendered to JSON at synth and delivered as ConfigMaps carrying the stack's dashboard label, which Grafana's",
    'sidecar loads from every namespace. Their UIDs never change, so links keep working. They refresh every 5 seconds; each has a',
    '`datasource` variable (defaulting to the Prometheus the stack provisions) and, where logs are shown, a `logs_datasource`',
    'variable (defaulting to the OpenSearch logs datasource), and a `cluster` variable (All by default; every query is',
    'scoped with `cluster=~"$cluster"` by the toolkit, see docs/fleet.md). Turn them off with `dashboards.enabled: false`',
    '(config file) or `gpuDashboards: { enabled: false }` (props).',
    '',
    'What the panels read, and what has to be in place for them to show data:',
    '',
    '- GPU panels: dcgm-exporter with pod mapping (`exporters.dcgm`); `namespace`/`pod` name the workload using the GPU,',
    '  `node` its node. SM/tensor/DRAM activity needs a datacenter GPU (Volta or newer) with DCGM profiling.',
    '- Model-level vLLM panels and the GPU fleet panels read the recording rules of `alerts` (they are cheap to query at a',
    '  5-second refresh); per-pod vLLM panels read vLLM directly and fall back to the pre-V1 names (`current or legacy`).',
    '- The vLLM servers must be scraped (a ServiceMonitor/PodMonitor of yours, or Ray Serve LLM through `endpoints`);',
    '  the Ray cluster variable comes from the `endpoints` scrape (`ray_io_cluster`).',
    '- Host panels: node-exporter and the kubelet/cAdvisor recording rules of kube-prometheus-stack.',
    '- Neuron panels (the Neuron dashboard, and the Neuron row of the fleet dashboard): neuron-monitor piped into',
    '  neuron-monitor-prometheus.py (`exporters.neuron`, checked against aws-neuronx-tools of Neuron SDK 2.x) and the Neuron',
    '  recording rules it ships; its series name the Neuron runtime (`runtime_tag`) and NeuronCore, never a pod, so the',
    '  panels are per node. NeuronCore counts come from kube-state-metrics (`aws.amazon.com/neuron*` requests), apart from GPUs.',
    '- GPU counts and money are in GPU-equivalents: a whole GPU is 1, a MIG slice its compute slices / 7 (1g = 1/7), so',
    '  counts are fractional on MIG nodes; activity is DCGM GPU utilisation, on MIG instances graphics-engine activity',
    '  (GPU utilisation reads 0 there); means over GPUs weigh each GPU by its GPU-equivalents; a job is the pod\'s controller',
    '  and, for a Deployment\'s pods, the Deployment. Allocation reads kube-state-metrics\' own series only (OpenCost\'s copies',
    '  would double it). docs/gpu-telemetry.md ("What the GPU numbers mean") says why; the Prometheus proof checks these',
    '  values against dcgm-exporter 4.8.2, kube-state-metrics v2.17.0 and OpenCost (chart 2.5.17) behaviour.',
    '- Cost panels: OpenCost (`opencost`): its per-node GPU price (`node_gpu_hourly_cost`) times the GPU-equivalents a pod requests.',
    '- Log panels: Lucene queries on the `logs_datasource`, whose index pattern is the log data streams',
    '  (the provisioned OpenSearch logs datasource); Grafana\'s `lucene` variable format turns a multi-pod selection into',
    '  `("a" OR "b")`.',
    '',
    '### Opening them',
    '',
    '```sh',
    `kubectl -n ${grafana.namespace} port-forward svc/${grafana.serviceName} ${LOCAL_PORT}:${grafana.port}`,
    `kubectl -n ${grafana.namespace} get secret ${grafana.adminSecretName} -o jsonpath='{.data.${grafana.adminPasswordKey}}' | base64 -d; echo`,
    '```',
    '',
    `Then open ${base}/d/<uid>, optionally with variables as \`var-<name>=<value>\` parameters (several values: repeat the`,
    'parameter). `gpuDashboardUrl()` (exported) builds these paths.',
    '',
    '| Dashboard | UID | Example link |',
    '|---|---|---|',
  );
  for (const name of GPU_DASHBOARD_NAMES) {
    const dashboard = input.dashboards[name];
    if (!dashboard) continue;
    const url = `${base}${gpuDashboardUrl(name, { variables: input.examples?.[name] ?? {} })}`;
    lines.push(`| ${cell(dashboard.title)} | ${code(dashboard.uid)} | ${url} |`);
  }
  const exportersOf = exportersOfPanels(input.metricNames);
  const used = new Set<ExporterKey>();
  for (const name of GPU_DASHBOARD_NAMES) {
    const dashboard = input.dashboards[name];
    if (dashboard) lines.push('', ...dashboardSection(dashboard, input.metricNames, exportersOf, used));
  }
  lines.push(
    '',
    '### Exporter versions the panels were checked against',
    '',
    'The "Checked against" column of each panel names the exporters behind what it reads (through the recording rules down',
    'to the exporters\' own metrics). For each, the metric names, types, labels and value semantics were read in the source',
    'below, at the version below, and the test fixture (`test/prometheus/fixture/exporters/`, each file naming its upstream',
    'file and commit) models that version; `npm run test:prometheus` checks the panels\' values against the fixture\'s truth',
    '(docs/prometheus-proof.md). Other versions may rename or relabel metrics: the limits known today are in',
    'docs/gpu-telemetry.md.',
    '',
    '| Exporter | Version checked | Upstream source read |',
    '|---|---|---|',
  );
  for (const [key, e] of Object.entries(EXPORTER_VERSIONS) as [ExporterKey, (typeof EXPORTER_VERSIONS)[ExporterKey]][]) {
    if (used.has(key)) lines.push(`| ${cell(e.name)} | ${cell(e.version)} | ${cell(e.source)} |`);
  }
  return `${lines.join('\n')}\n`;
}

function dashboardSection(
  dashboard: GrafanaDashboard,
  metricNames: (expr: string) => readonly string[],
  exportersOf: ReturnType<typeof exportersOfPanels>,
  used: Set<ExporterKey>,
): string[] {
  const lines = [`### ${dashboard.title} (${code(dashboard.uid)})`, '', dashboard.description, '', '| Variable | Meaning |', '|---|---|'];
  for (const variable of dashboard.templating.list) {
    lines.push(`| ${code(variable.name)} | ${cell(variable.description ?? '')} |`);
  }
  lines.push('', '| Section | Panel | What it shows | Reads | A bad value means | Checked against |', '|---|---|---|---|---|---|');
  let section = '';
  for (const panel of dashboard.panels) {
    if (isRow(panel)) {
      section = panel.title ?? '';
      continue;
    }
    const reads = new Set<string>();
    for (const target of panel.targets ?? []) {
      if (isPrometheusQuery(target)) for (const metric of metricNames(target.expr)) reads.add(metric);
      if (isOpenSearchLogsQuery(target)) reads.add(`logs: ${target.query}`);
    }
    const { shows, bad } = splitDescription(panel.description ?? '');
    const readsCell = [...reads].map(code).join(', ');
    const { exporters, unknown } = exportersOf([...reads]);
    if (unknown.length > 0) throw new Error(`panel '${panel.title}' reads ${unknown.join(', ')}: no exporter or recording rule known for it (scripts/exporter-versions.ts)`);
    exporters.forEach((k) => used.add(k));
    const checked = [...reads].some((r) => r.startsWith('logs:')) ? ['Fluent Bit 5.1.0 log records (OpenSearch)'] : exporters.map((k) => `${EXPORTER_VERSIONS[k].name} ${EXPORTER_VERSIONS[k].version}`);
    lines.push(`| ${cell(section)} | ${cell(panel.title ?? '')} | ${cell(shows)} | ${cell(readsCell)} | ${cell(bad)} | ${cell(checked.join('; '))} |`);
  }
  return lines;
}
