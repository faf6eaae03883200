/**
 * Value checks (test code): for each kind of panel and recording rule, a known answer computed from the fixture's
 * model (fixture/truth.ts) and compared with what the panel (queried as Grafana would, with chosen variables) or the
 * recorded series returns at the end of the view. "Has data" is not enough: allocated GPUs must be what the
 * fixture allocates, idle cost idle hours x the fixture's price, an XID 1 on the GPU that had it and 0 elsewhere.
 *
 * A panel check names the dashboard and panel by title and the query by refId; a record check names a PromQL
 * expression. Results are keyed by the values of `by` labels ('' for a missing label); an expected number (no
 * `by`) wants exactly one series; an expected array compares the sorted values of all series.
 */
import { DASHBOARD_VARIABLES as V } from '../../../src/dashboards/toolkit/dashboard-ids.js';
import type { ClusterModel, GpuInstance } from '../fixture/cluster.js';
import { DECODE_SHARE_OF_E2E, PHASE_SIGMA, PREFILL_SHARE_OF_TTFT, REQUEST_LATENCY_BUCKETS, SPEC_ACCEPTANCE, vllmBehaviour } from '../fixture/exporters/vllm.js';
import { RAY_SPILLED_BYTES, SERVE_5XX_SHARE, SERVE_REQUESTS_PER_REPLICA, TRAIN_CHECKPOINT_EVERY_SECONDS, TRAIN_REPORT_BLOCKED_SECONDS } from '../fixture/exporters/ray.js';
import { nodeDiskReadBps, nodeNicBps } from '../fixture/exporters/node-exporter.js';
import { gpuHourlyPrice } from '../fixture/exporters/opencost.js';
import { gpuPods, podGpuEquivalents, Truth } from '../fixture/truth.js';
import { gpuShare } from '../fixture/cluster.js';
import { gpuState, meanActivity } from '../fixture/exporters/gpu-state.js';
import { DCGM_COLLECT_SECONDS, DCGM_EVENT_WINDOW_SECONDS } from '../fixture/exporters/dcgm.js';
import { hex, logNormalCdf, logNormalQuantile, sampledAt } from '../fixture/signals.js';
import { NEURON_VALUE_CHECKS } from './neuron-value-checks.js';
import type { DashboardJson, TimeContext } from './grafana.js';
import { runDashboard, type DashboardRun } from './panel-queries.js';
import type { PrometheusRunner, PromResult } from './prometheus-runner.js';

/** What a check expects: one number, numbers by key, or the sorted values of all series. */
export type Expected = number | Readonly<Record<string, number>> | readonly number[];

export interface ValueCheck {
  /** Printed name, e.g. `GPU fleet and cost / Allocated GPUs`. */
  readonly id: string;
  readonly panel?: { readonly dashboard: string; readonly title: string; readonly refId?: string; readonly variables?: Readonly<Record<string, string | readonly string[]>> };
  readonly record?: string;
  /** Labels whose values key a series. */
  readonly by?: readonly string[];
  readonly expected: (truth: Truth, ctx: CheckContext) => Expected;
  /** Allowed difference: absolute, or relative to the expected value (the larger wins). @default { abs: 1e-6 } */
  readonly tolerance?: { readonly abs?: number; readonly rel?: number };
  /** Only the expected keys are checked; other series may exist. */
  readonly subset?: boolean;
}

export interface CheckContext {
  readonly cluster: ClusterModel;
  /** Unix seconds of the answer (the end of the view). */
  readonly at: number;
  readonly startedAt: number;
  /** Seconds of the dashboards' view. */
  readonly viewSeconds: number;
}

export interface CheckOutcome {
  readonly check: ValueCheck;
  readonly ok: boolean;
  readonly detail: string;
}

const FLEET = 'GPU fleet and cost';
const TRAINING = 'GPU training';
const INFERENCE = 'Inference (vLLM)';
const NEW_MODEL = 'meta-llama/Llama-3.1-8B-Instruct';
const OLD_MODEL = 'Qwen/Qwen2.5-7B-Instruct';
const TRAINING_VARS = { [V.namespace]: 'ml-training', [V.rayCluster]: 'llm-finetune' };
const INFERENCE_VARS = { [V.namespace]: 'ml-inference', [V.model]: NEW_MODEL };
/** Hours the 15-minute view covers, as the dashboards sum it: 3 samples of a 5-minute subquery / 12 per hour. */
const VIEW_HOURS = 3 / 12;

const gpuKey = (g: GpuInstance) => `${g.node.name}/${g.index}`;
const instanceKey = (g: GpuInstance) => `${g.node.name}/${g.index}/${g.mig?.instanceId ?? ''}`;
/**
 * The activity dcgm-exporter reports for a GPU at the answer's moment: the DCGM sample of that 30-second period
 * (DCGM_FI_DEV_GPU_UTIL, or 100 x DCGM_FI_PROF_GR_ENGINE_ACTIVE on a MIG instance). The value checks run with the
 * answer's moment well inside a period (dashboards-show-data.test.ts), so the last scrape saw that sample.
 */
const reportedActivity = (ctx: CheckContext, at = ctx.at) => (g: GpuInstance) => {
  const s = gpuState(ctx.cluster, g, sampledAt(at, DCGM_COLLECT_SECONDS), ctx.startedAt);
  return g.mig ? s.grEngineActive * 100 : s.util;
};
/**
 * The moment a range panel's last point shows: Grafana aligns the range to its step, 30 s here (the datasource's
 * scrape interval is the min interval), so the last point sits on a 30 s boundary, where the last scrape before it
 * saw the DCGM sample of the period before.
 */
const lastPanelPoint = (ctx: CheckContext) => Math.floor(ctx.at / 30) * 30 - 1;
/** The offset the dashboards' view starts at. */
const viewFrom = (ctx: CheckContext) => ctx.at - ctx.viewSeconds - ctx.startedAt;
const trainingGpus = (c: ClusterModel) => c.rayClusters.filter((r) => r.jobId).flatMap((r) => r.pods.flatMap((p) => p.gpus));
const service = (c: ClusterModel, model: string) => c.vllmServices.find((v) => v.modelName === model)!;
const replicasSum = (ctx: CheckContext, model: string, value: (b: ReturnType<typeof vllmBehaviour>) => number) =>
  service(ctx.cluster, model).replicas.reduce((n, r) => n + value(vllmBehaviour(ctx.cluster, r, ctx.at, ctx.startedAt)), 0);
const trainingCluster = (c: ClusterModel) => c.rayClusters.find((r) => r.jobId && r.name === TRAINING_VARS[V.rayCluster])!;
const rayWorkers = (c: ClusterModel) => trainingCluster(c).pods.filter((p) => p.role.kind === 'ray-worker');
/**
 * What histogram_quantile returns for a log-normal histogram with these bucket bounds: linear interpolation inside
 * the bucket the quantile falls in (the fixture's buckets are the log-normal CDF at each bound).
 */
function bucketedLogNormalQuantile(q: number, bounds: readonly number[], median: number, sigma: number): number {
  let lower = 0;
  for (const upper of bounds) {
    const [cLow, cUp] = [lower === 0 ? 0 : logNormalCdf(lower, median, sigma), logNormalCdf(upper, median, sigma)];
    if (cUp >= q) return lower + ((upper - lower) * (q - cLow)) / (cUp - cLow);
    lower = upper;
  }
  return bounds[bounds.length - 1]!;
}
const scale = (rec: Record<string, number>, k: number) => Object.fromEntries(Object.entries(rec).map(([key, v]) => [key, v * k]));

/** The value checks of the sick day. */
export const VALUE_CHECKS: readonly ValueCheck[] = [
  // ---- fleet and cost: counts (GPU-equivalents), money ----
  { id: `${FLEET} / Allocatable GPUs`, panel: { dashboard: FLEET, title: 'Allocatable GPUs' }, expected: (t) => t.allocatable() },
  { id: `${FLEET} / Allocated GPUs`, panel: { dashboard: FLEET, title: 'Allocated GPUs' }, expected: (t) => t.allocated() },
  { id: `${FLEET} / Busy GPUs`, panel: { dashboard: FLEET, title: 'Busy GPUs' }, expected: (t) => t.busy() },
  { id: `${FLEET} / Allocated but idle GPUs`, panel: { dashboard: FLEET, title: 'Allocated but idle GPUs' }, expected: (t) => t.idle() },
  { id: `${FLEET} / Busy share of allocated GPUs`, panel: { dashboard: FLEET, title: 'Busy share of allocated GPUs' }, expected: (t) => t.busy() / t.allocated(), tolerance: { abs: 1e-3 } },
  { id: `${FLEET} / GPU spend rate`, panel: { dashboard: FLEET, title: 'GPU spend rate' }, expected: (t) => t.spendRate(), tolerance: { abs: 1e-3 } },
  { id: `${FLEET} / Allocated GPUs per namespace`, panel: { dashboard: FLEET, title: 'Allocated GPUs per namespace' }, by: ['namespace'], expected: (t) => t.allocatedByNamespace() },
  { id: `${FLEET} / Busy GPUs per namespace`, panel: { dashboard: FLEET, title: 'Busy GPUs per namespace' }, by: ['namespace'], expected: (t) => t.busyByNamespace() },
  {
    id: `${FLEET} / Mean GPU utilisation per namespace`,
    panel: { dashboard: FLEET, title: 'Mean GPU utilisation per namespace' },
    by: ['namespace'],
    expected: (t, ctx) => t.meanUtilByNamespace(reportedActivity(ctx, lastPanelPoint(ctx))),
    tolerance: { abs: 1 },
  },
  {
    id: `${FLEET} / Mean GPU utilisation per node`,
    panel: { dashboard: FLEET, title: 'Mean GPU utilisation per node' },
    by: ['node'],
    expected: (t, ctx) => t.meanUtilByNode(reportedActivity(ctx, lastPanelPoint(ctx))),
    tolerance: { abs: 1 },
  },
  {
    id: `${FLEET} / Idle GPU hours per namespace`,
    panel: { dashboard: FLEET, title: 'Idle GPU hours per namespace' },
    by: ['namespace'],
    expected: (t) => scale(t.idleByNamespace(), VIEW_HOURS),
    tolerance: { abs: 1e-3 },
  },
  {
    id: `${FLEET} / Idle GPU hours per job (top 10)`,
    panel: { dashboard: FLEET, title: 'Idle GPU hours per job (top 10)' },
    by: ['namespace', 'owner_kind', 'owner_name'],
    expected: (t) => scale(t.idleByJob(), VIEW_HOURS),
    tolerance: { abs: 1e-3 },
  },
  {
    id: `${FLEET} / Cost of idle GPU hours per namespace`,
    panel: { dashboard: FLEET, title: 'Cost of idle GPU hours per namespace' },
    by: ['namespace'],
    expected: (t) => scale(t.spendRateByNamespace(t.idlePods), VIEW_HOURS),
    tolerance: { abs: 1e-3 },
  },
  {
    id: `${FLEET} / Cost of idle GPU hours per job (top 10)`,
    panel: { dashboard: FLEET, title: 'Cost of idle GPU hours per job (top 10)' },
    by: ['namespace', 'owner_kind', 'owner_name'],
    expected: (t) => scale(t.idleSpendRateByJob(), VIEW_HOURS),
    tolerance: { abs: 1e-3 },
  },
  { id: `${FLEET} / GPU spend rate: allocated vs idle (idle)`, panel: { dashboard: FLEET, title: 'GPU spend rate: allocated vs idle', refId: 'B' }, expected: (t) => t.spendRate(t.idlePods), tolerance: { abs: 1e-3 } },
  {
    id: `${FLEET} / GPU cost per namespace (allocated)`,
    panel: { dashboard: FLEET, title: 'GPU cost per namespace (allocated)' },
    by: ['namespace'],
    expected: (t) => scale(t.spendRateByNamespace(), VIEW_HOURS),
    tolerance: { abs: 1e-3 },
  },
  {
    id: `${FLEET} / GPU price per node`,
    panel: { dashboard: FLEET, title: 'GPU price per node' },
    by: ['node'],
    expected: (_t, ctx) => Object.fromEntries(ctx.cluster.nodes.filter((n) => n.gpuCount > 0).map((n) => [n.name, gpuHourlyPrice(n)])),
    subset: true,
  },

  // ---- fleet: GPU health, every GPU whoever holds it ----
  {
    id: `${FLEET} / GPUs per node: capacity`,
    panel: { dashboard: FLEET, title: 'GPUs per node: capacity, allocatable, reported by DCGM', refId: 'A' },
    by: ['node'],
    expected: (t) => t.nodeCapacity(),
    tolerance: { abs: 1e-9 },
  },
  {
    id: `${FLEET} / GPUs per node: allocatable (device plugin took the XID 48 GPU and the one off the bus out)`,
    panel: { dashboard: FLEET, title: 'GPUs per node: capacity, allocatable, reported by DCGM', refId: 'B' },
    by: ['node'],
    expected: (t) => t.nodeAllocatable(),
    tolerance: { abs: 1e-9 },
  },
  {
    id: `${FLEET} / GPUs per node: reported by DCGM (the GPU off the bus is missing)`,
    panel: { dashboard: FLEET, title: 'GPUs per node: capacity, allocatable, reported by DCGM', refId: 'C' },
    by: ['node'],
    expected: (t) => t.nodeReported(),
  },
  { id: `${FLEET} / GPU errors per GPU: last XID (sticky, GPUs nobody holds too)`, panel: { dashboard: FLEET, title: 'GPU errors per GPU', refId: 'A' }, by: ['node', 'gpu'], expected: (t) => t.lastXidByGpu() },
  {
    id: `${FLEET} / GPU errors per GPU: XID in the view (windowed count)`,
    panel: { dashboard: FLEET, title: 'GPU errors per GPU', refId: 'B' },
    by: ['node', 'gpu', 'GPU_I_ID'],
    expected: (t, ctx) => t.xidInView(viewFrom(ctx), DCGM_EVENT_WINDOW_SECONDS),
  },
  { id: `${FLEET} / GPU errors per GPU: uncorrectable ECC since reset`, panel: { dashboard: FLEET, title: 'GPU errors per GPU', refId: 'C' }, by: ['node', 'gpu'], expected: (t) => t.dbeByGpu() },
  {
    id: `${FLEET} / GPU temperature, every GPU (the throttling GPU)`,
    panel: { dashboard: FLEET, title: 'GPU temperature, every GPU' },
    by: ['node', 'gpu'],
    expected: (_t, ctx) => Object.fromEntries(ctx.cluster.sick.throttlingGpus.map((g) => [gpuKey(g), 91])),
    tolerance: { abs: 3 },
    subset: true,
  },
  {
    id: `${FLEET} / GPU power draw, every GPU (the throttling GPU at its limit)`,
    panel: { dashboard: FLEET, title: 'GPU power draw, every GPU' },
    by: ['node', 'gpu'],
    expected: (_t, ctx) => Object.fromEntries(ctx.cluster.sick.throttlingGpus.map((g) => [gpuKey(g), g.node.gpuModel!.powerLimitW * 0.99])),
    tolerance: { abs: 1 },
    subset: true,
  },

  // ---- training: one Ray training job ----
  {
    id: `${TRAINING} / GPU utilisation`,
    panel: { dashboard: TRAINING, title: 'GPU utilisation', variables: TRAINING_VARS },
    by: ['node', 'gpu'],
    expected: (_t, ctx) => Object.fromEntries(trainingGpus(ctx.cluster).map((g) => [gpuKey(g), 90])),
    tolerance: { abs: 30 },
  },
  { id: `${TRAINING} / Job mean GPU utilisation`, panel: { dashboard: TRAINING, title: 'Job mean: GPU utilisation vs tensor pipe active', variables: TRAINING_VARS }, expected: () => 90, tolerance: { abs: 12 } },
  {
    id: `${TRAINING} / Ray logical GPUs in use`,
    panel: { dashboard: TRAINING, title: 'Ray logical GPUs: in use vs available', variables: TRAINING_VARS },
    expected: (_t, ctx) => trainingGpus(ctx.cluster).length,
  },
  {
    id: `${TRAINING} / Temperature of the throttling GPU`,
    panel: { dashboard: TRAINING, title: 'Temperature', variables: TRAINING_VARS },
    by: ['node', 'gpu'],
    expected: (_t, ctx) => Object.fromEntries(ctx.cluster.sick.throttlingGpus.map((g) => [gpuKey(g), 91])),
    tolerance: { abs: 3 },
    subset: true,
  },
  {
    id: `${TRAINING} / Clock throttling (thermal share per GPU)`,
    panel: { dashboard: TRAINING, title: 'Clock throttling', refId: 'B', variables: TRAINING_VARS },
    by: ['node', 'gpu'],
    expected: (_t, ctx) => Object.fromEntries(trainingGpus(ctx.cluster).map((g) => [gpuKey(g), ctx.cluster.sick.throttlingGpus.includes(g) ? 0.7 : 0])),
    tolerance: { abs: 0.02, rel: 0.3 },
  },
  {
    id: `${TRAINING} / XID errors in the view per GPU`,
    panel: { dashboard: TRAINING, title: 'XID errors', refId: 'B', variables: TRAINING_VARS },
    by: ['node', 'gpu'],
    // 1 on a GPU whose XID was in dcgm-exporter's 5-minute window at some moment of the view, 0 elsewhere
    expected: (t, ctx) => {
      const inView = t.xidInView(viewFrom(ctx), DCGM_EVENT_WINDOW_SECONDS);
      return Object.fromEntries(trainingGpus(ctx.cluster).map((g) => [gpuKey(g), inView[instanceKey(g)]!]));
    },
  },
  {
    id: `${TRAINING} / XID errors per code in the view`,
    panel: { dashboard: TRAINING, title: 'XID errors', refId: 'C', variables: TRAINING_VARS },
    by: ['xid'],
    expected: (_t, ctx) => {
      const gpus = new Set(trainingGpus(ctx.cluster).map(gpuKey));
      const out: Record<string, number> = {};
      for (const e of ctx.cluster.events) {
        if (e.kind === 'xid' && gpus.has(gpuKey(e.gpu)) && e.at + DCGM_EVENT_WINDOW_SECONDS > viewFrom(ctx) && e.at <= ctx.at - ctx.startedAt) out[String(e.xid)] = 1;
      }
      return out;
    },
  },
  {
    id: `${TRAINING} / Clock throttling: share of the last 5 minutes per reason`,
    panel: { dashboard: TRAINING, title: 'Clock throttling', refId: 'C', variables: TRAINING_VARS },
    by: ['node', 'gpu', 'clock_event'],
    // the thermally throttled GPU has sw_thermal and hw_thermal in every DCGM sample; busy GPUs report no reason
    expected: (_t, ctx) => Object.fromEntries(ctx.cluster.sick.throttlingGpus.flatMap((g) => ['sw_thermal', 'hw_thermal'].map((r) => [`${gpuKey(g)}/${r}`, 1]))),
  },
  {
    id: `${TRAINING} / NVLink throughput (L40S: none)`,
    panel: { dashboard: TRAINING, title: 'NVLink and PCIe throughput', refId: 'A', variables: TRAINING_VARS },
    by: ['node', 'gpu'],
    expected: (_t, ctx) => Object.fromEntries(trainingGpus(ctx.cluster).map((g) => [gpuKey(g), 0])),
  },
  {
    id: `${TRAINING} / PCIe transmit throughput`,
    panel: { dashboard: TRAINING, title: 'NVLink and PCIe throughput', refId: 'B', variables: TRAINING_VARS },
    by: ['node', 'gpu'],
    // dcgm fixture: PCIe TX around 2e7 B/s per percent of activity
    expected: (_t, ctx) => Object.fromEntries(trainingGpus(ctx.cluster).map((g) => [gpuKey(g), meanActivity(ctx.cluster, g, ctx.at - ctx.startedAt) * 2e7])),
    tolerance: { rel: 0.5 },
  },
  {
    id: `${TRAINING} / Node network throughput (receive)`,
    panel: { dashboard: TRAINING, title: 'Node network throughput', variables: TRAINING_VARS },
    by: ['node'],
    expected: (_t, ctx) => {
      const nodes = new Set(ctx.cluster.rayClusters.filter((r) => r.jobId).flatMap((r) => r.pods.map((p) => p.node)));
      return Object.fromEntries([...nodes].map((n) => [n.name, nodeNicBps(ctx.cluster, n, ctx.at - ctx.startedAt)]));
    },
    tolerance: { rel: 0.25 },
  },
  {
    id: `${TRAINING} / Node disk throughput (read)`,
    panel: { dashboard: TRAINING, title: 'Node disk throughput', variables: TRAINING_VARS },
    by: ['node'],
    expected: (_t, ctx) => {
      const nodes = new Set(ctx.cluster.rayClusters.filter((r) => r.jobId).flatMap((r) => r.pods.map((p) => p.node)));
      return Object.fromEntries([...nodes].map((n) => [n.name, nodeDiskReadBps(n)]));
    },
    tolerance: { rel: 0.25 },
  },
  {
    id: `${TRAINING} / Pod CPU usage`,
    panel: { dashboard: TRAINING, title: 'Pod CPU usage', variables: TRAINING_VARS },
    by: ['pod'],
    expected: (_t, ctx) => Object.fromEntries(ctx.cluster.rayClusters.filter((r) => r.jobId).flatMap((r) => r.pods.map((p) => [p.name, p.containers[0]!.cpuRequest * 0.7]))),
    tolerance: { rel: 0.25 },
  },

  // ---- inference: the saturated newer-naming model, and the older-naming one ----
  { id: `${INFERENCE} / Requests running`, panel: { dashboard: INFERENCE, title: 'Requests running and waiting', variables: INFERENCE_VARS }, expected: (_t, ctx) => replicasSum(ctx, NEW_MODEL, (b) => b.running), tolerance: { rel: 0.2 } },
  {
    id: `${INFERENCE} / KV-cache usage per engine replica`,
    panel: { dashboard: INFERENCE, title: 'KV-cache usage', variables: INFERENCE_VARS },
    expected: (_t, ctx) => service(ctx.cluster, NEW_MODEL).replicas.map((r) => vllmBehaviour(ctx.cluster, r, ctx.at, ctx.startedAt).kvCache),
    tolerance: { abs: 0.03 },
  },
  { id: `${INFERENCE} / Prefix-cache hit rate`, panel: { dashboard: INFERENCE, title: 'Prefix-cache hit rate', variables: INFERENCE_VARS }, expected: () => 0.12, tolerance: { abs: 0.02 } },
  { id: `${INFERENCE} / Preemptions`, panel: { dashboard: INFERENCE, title: 'Preemptions', variables: INFERENCE_VARS }, expected: (_t, ctx) => replicasSum(ctx, NEW_MODEL, (b) => b.preemptionsPerSecond), tolerance: { rel: 0.3 } },
  {
    id: `${INFERENCE} / Token throughput (prompt)`,
    panel: { dashboard: INFERENCE, title: 'Token throughput', variables: INFERENCE_VARS },
    expected: (_t, ctx) => replicasSum(ctx, NEW_MODEL, (b) => b.requestsPerSecond * b.promptTokensPerRequest),
    tolerance: { rel: 0.25 },
  },
  {
    id: `${INFERENCE} / Time to first token p95`,
    panel: { dashboard: INFERENCE, title: 'Time to first token', refId: 'B', variables: INFERENCE_VARS },
    expected: () => logNormalQuantile(0.95, 3.2, 0.6),
    tolerance: { rel: 0.15 },
  },
  {
    id: `${INFERENCE} / Finished requests by reason`,
    panel: { dashboard: INFERENCE, title: 'Finished requests by reason', variables: INFERENCE_VARS },
    by: ['finished_reason'],
    expected: (_t, ctx) => {
      const rps = replicasSum(ctx, NEW_MODEL, (b) => b.requestsPerSecond);
      return { stop: rps * 0.9, length: rps * 0.09, abort: rps * 0.01 };
    },
    tolerance: { rel: 0.3, abs: 0.1 },
  },
  {
    id: `${INFERENCE} / GPU utilisation of the server pods`,
    panel: { dashboard: INFERENCE, title: 'GPU utilisation', variables: INFERENCE_VARS },
    by: ['node', 'gpu'],
    expected: (_t, ctx) => Object.fromEntries(service(ctx.cluster, NEW_MODEL).replicas.flatMap((r) => r.gpus.map((g) => [gpuKey(g), 70]))),
    tolerance: { abs: 35 },
  },
  {
    id: `${INFERENCE} / Requests running of the older-naming model (ray_vllm:*)`,
    panel: { dashboard: INFERENCE, title: 'Requests running and waiting', variables: { [V.namespace]: 'ml-inference', [V.model]: OLD_MODEL } },
    // a healthy replica runs 24 requests on average, 16 to 32 at any moment (fixture vllmBehaviour)
    expected: (_t, ctx) => service(ctx.cluster, OLD_MODEL).replicas.length * 24,
    tolerance: { abs: 9 },
  },

  // ---- training: Ray's own view (issue 10, missing panels) ----
  {
    id: `${TRAINING} / Ray tasks by state`,
    panel: { dashboard: TRAINING, title: 'Ray tasks by state', variables: TRAINING_VARS },
    by: ['State'],
    // one Train worker task per GPU, RUNNING once the owner's SUBMITTED_TO_WORKER +1 and the executors' -1 are summed;
    // the OOM-killed MapBatches task FAILED on the sick day
    expected: (_t, ctx) => ({
      RUNNING: rayWorkers(ctx.cluster).reduce((n, p) => n + p.gpus.length, 0),
      SUBMITTED_TO_WORKER: 0,
      FAILED: ctx.cluster.sick.rayOomKills.includes(trainingCluster(ctx.cluster)) ? 1 : 0,
    }),
    subset: true,
  },
  {
    id: `${TRAINING} / Ray actors by state`,
    panel: { dashboard: TRAINING, title: 'Ray actors by state', variables: TRAINING_VARS },
    by: ['State'],
    // a RayTrainWorker per GPU and the TrainController
    expected: (_t, ctx) => ({ ALIVE: rayWorkers(ctx.cluster).reduce((n, p) => n + p.gpus.length, 0) + 1 }),
  },
  {
    id: `${TRAINING} / Ray OOM kills`,
    panel: { dashboard: TRAINING, title: 'Ray OOM kills', variables: TRAINING_VARS },
    by: ['Name'],
    expected: (_t, ctx) => {
      const ray = trainingCluster(ctx.cluster);
      const kills = ctx.cluster.events.filter((e) => e.kind === 'ray-oom-kill' && e.cluster === ray && e.at <= ctx.at - ctx.startedAt);
      return Object.fromEntries(kills.length > 0 ? [['MapBatches(preprocess)', kills.length]] : []);
    },
  },
  {
    id: `${TRAINING} / Ray object store spilled bytes`,
    panel: { dashboard: TRAINING, title: 'Ray object store memory by location', variables: TRAINING_VARS },
    by: ['Location'],
    expected: (_t, ctx) => ({ SPILLED: ctx.cluster.scenario === 'sick' ? rayWorkers(ctx.cluster).length * RAY_SPILLED_BYTES : 0, MMAP_DISK: 0 }),
    subset: true,
  },
  {
    id: `${TRAINING} / Ray Train time blocked in report per rank`,
    panel: { dashboard: TRAINING, title: 'Ray Train: time blocked in report per rank', variables: TRAINING_VARS },
    by: ['ray_train_worker_world_rank'],
    // every rank is blocked TRAIN_REPORT_BLOCKED_SECONDS per checkpoint period: that share of any 5 minutes, give or
    // take the one report a window edge cuts (6 s of 300)
    expected: (_t, ctx) => {
      const ranks = rayWorkers(ctx.cluster).reduce((n, p) => n + p.gpus.length, 0);
      return Object.fromEntries(Array.from({ length: ranks }, (_, r) => [String(r), TRAIN_REPORT_BLOCKED_SECONDS / TRAIN_CHECKPOINT_EVERY_SECONDS]));
    },
    tolerance: { abs: 0.025 },
  },

  // ---- inference: prefill / decode, tokens per request, speculative decoding, Ray Serve ----
  {
    id: `${INFERENCE} / Prefill time p95`,
    panel: { dashboard: INFERENCE, title: 'Prefill vs decode time (p95)', variables: INFERENCE_VARS },
    expected: (_t, ctx) => {
      const b = vllmBehaviour(ctx.cluster, service(ctx.cluster, NEW_MODEL).replicas[0]!, ctx.at, ctx.startedAt);
      return bucketedLogNormalQuantile(0.95, REQUEST_LATENCY_BUCKETS, b.ttftMedian * PREFILL_SHARE_OF_TTFT, PHASE_SIGMA);
    },
    tolerance: { rel: 0.1 },
  },
  {
    id: `${INFERENCE} / Decode time p95`,
    panel: { dashboard: INFERENCE, title: 'Prefill vs decode time (p95)', refId: 'B', variables: INFERENCE_VARS },
    expected: (_t, ctx) => {
      const b = vllmBehaviour(ctx.cluster, service(ctx.cluster, NEW_MODEL).replicas[0]!, ctx.at, ctx.startedAt);
      return bucketedLogNormalQuantile(0.95, REQUEST_LATENCY_BUCKETS, b.e2eMedian * DECODE_SHARE_OF_E2E, PHASE_SIGMA);
    },
    tolerance: { rel: 0.1 },
  },
  {
    id: `${INFERENCE} / Prompt tokens per request`,
    panel: { dashboard: INFERENCE, title: 'Tokens per request', variables: INFERENCE_VARS },
    expected: (_t, ctx) => vllmBehaviour(ctx.cluster, service(ctx.cluster, NEW_MODEL).replicas[0]!, ctx.at, ctx.startedAt).promptTokensPerRequest,
    tolerance: { rel: 0.05 },
  },
  {
    id: `${INFERENCE} / Generated tokens per request`,
    panel: { dashboard: INFERENCE, title: 'Tokens per request', refId: 'B', variables: INFERENCE_VARS },
    expected: (_t, ctx) => vllmBehaviour(ctx.cluster, service(ctx.cluster, NEW_MODEL).replicas[0]!, ctx.at, ctx.startedAt).generationTokensPerRequest,
    tolerance: { rel: 0.05 },
  },
  {
    id: `${INFERENCE} / Speculative decoding acceptance`,
    panel: { dashboard: INFERENCE, title: 'Speculative decoding acceptance', variables: INFERENCE_VARS },
    expected: () => SPEC_ACCEPTANCE,
    tolerance: { abs: 0.02 },
  },
  {
    id: `${INFERENCE} / Serve QPS per replica`,
    panel: { dashboard: INFERENCE, title: 'Serve QPS per replica', variables: INFERENCE_VARS },
    by: ['deployment', 'replica'],
    // every LLMServer replica gets SERVE_REQUESTS_PER_REPLICA; the two ingress replicas on the head share the
    // application's load (replica names as Serve writes them: <deployment>#<id>)
    expected: (_t, ctx) => {
      const svc = service(ctx.cluster, NEW_MODEL);
      const ray = svc.rayCluster;
      return Object.fromEntries([
        ...svc.replicas.map((r) => [`LLMServer/LLMServer#${r.replicaId}`, SERVE_REQUESTS_PER_REPLICA]),
        ...[0, 1].map((i) => [`OpenAiIngress/OpenAiIngress#${hex(`${ray.name}/ingress/${i}`, 8)}`, (SERVE_REQUESTS_PER_REPLICA * svc.replicas.length) / 2]),
      ]);
    },
    tolerance: { rel: 0.2 },
  },
  {
    id: `${INFERENCE} / Serve HTTP 5xx share`,
    panel: { dashboard: INFERENCE, title: 'Serve HTTP 5xx share', variables: INFERENCE_VARS },
    expected: (_t, ctx) => (ctx.cluster.sick.saturatedVllm.includes(service(ctx.cluster, NEW_MODEL)) ? SERVE_5XX_SHARE.sick : SERVE_5XX_SHARE.healthy),
    tolerance: { abs: 0.01 },
  },

  // ---- recording rules ----
  { id: 'record cluster:kube_pod_gpu_requests:sum', record: 'cluster:kube_pod_gpu_requests:sum', expected: (t) => t.allocated() },
  { id: 'record cluster:kube_node_gpu_allocatable:sum', record: 'cluster:kube_node_gpu_allocatable:sum', expected: (t) => t.allocatable() },
  { id: 'record cluster:dcgm_gpu_busy:count', record: 'cluster:dcgm_gpu_busy:count', expected: (t) => t.busy() },
  {
    id: 'record namespace_pod:kube_pod_gpu_requests_idle:sum',
    record: 'namespace_pod:kube_pod_gpu_requests_idle:sum',
    by: ['namespace', 'pod'],
    expected: (t) => Object.fromEntries(t.idlePods.map((p) => [`${p.namespace}/${p.name}`, podGpuEquivalents(p)])),
  },
  {
    id: 'record namespace:kube_pod_gpu_requests_hourly_cost:sum',
    record: 'namespace:kube_pod_gpu_requests_hourly_cost:sum',
    by: ['namespace'],
    expected: (t) => t.spendRateByNamespace(),
    tolerance: { abs: 1e-3 },
  },
  {
    id: 'record namespace_owner_kind_owner_name:kube_pod_gpu_requests_idle_hourly_cost:sum',
    record: 'namespace_owner_kind_owner_name:kube_pod_gpu_requests_idle_hourly_cost:sum',
    by: ['namespace', 'owner_kind', 'owner_name'],
    expected: (t) => t.idleSpendRateByJob(),
    tolerance: { abs: 1e-3 },
  },
  {
    id: 'record namespace:dcgm_gpu_utilization:avg',
    record: 'namespace:dcgm_gpu_utilization:avg',
    by: ['namespace'],
    expected: (t, ctx) => t.meanUtilByNamespace(reportedActivity(ctx)),
    tolerance: { abs: 1 },
  },
  {
    id: 'record namespace_pod:kube_pod_gpu_requests:sum (GPU-equivalents, MIG slices as their share)',
    record: 'namespace_pod:kube_pod_gpu_requests:sum',
    by: ['namespace', 'pod', 'node'],
    expected: (t) => Object.fromEntries(gpuPods(t.cluster, t.offset).map((p) => [`${p.namespace}/${p.name}/${p.node.name}`, podGpuEquivalents(p)])),
    tolerance: { abs: 1e-9 },
  },
  { id: 'record node:kube_node_gpu_capacity:sum', record: 'node:kube_node_gpu_capacity:sum', by: ['node'], expected: (t) => t.nodeCapacity(), tolerance: { abs: 1e-9 } },
  { id: 'record node:kube_node_gpu_allocatable:sum', record: 'node:kube_node_gpu_allocatable:sum', by: ['node'], expected: (t) => t.nodeAllocatable(), tolerance: { abs: 1e-9 } },
  { id: 'record node:dcgm_gpus_reported:count', record: 'node:dcgm_gpus_reported:count', by: ['node'], expected: (t) => t.nodeReported() },
  {
    id: 'record gpu:dcgm_gpu_share:ratio',
    record: 'gpu:dcgm_gpu_share:ratio',
    by: ['node', 'gpu', 'GPU_I_ID'],
    expected: (t) => Object.fromEntries(t.presentGpus().map((g) => [instanceKey(g), gpuShare(g)])),
    tolerance: { abs: 1e-9 },
  },
  {
    id: 'MIG instances busy from graphics-engine activity (gpu:dcgm_gpu_activity:percent, 5m mean > 5)',
    record: 'avg_over_time(gpu:dcgm_gpu_activity:percent{GPU_I_ID!=""}[5m]) > bool 5',
    by: ['node', 'gpu', 'GPU_I_ID'],
    expected: (t) => Object.fromEntries(t.presentGpus().filter((g) => g.mig).map((g) => [instanceKey(g), meanActivity(t.cluster, g, t.offset) > 5 ? 1 : 0])),
  },
  { id: 'record namespace:dcgm_gpu_busy:count', record: 'namespace:dcgm_gpu_busy:count', by: ['namespace'], expected: (t) => t.busyByNamespace(), tolerance: { abs: 1e-9 } },
  { id: 'record node:dcgm_gpu_utilization:avg', record: 'node:dcgm_gpu_utilization:avg', by: ['node'], expected: (t, ctx) => t.meanUtilByNode(reportedActivity(ctx)), tolerance: { abs: 1 } },
  {
    id: 'record namespace_pod:dcgm_gpu_utilization:avg of the idle pods (MIG ones included) is 0',
    record: 'namespace_pod:dcgm_gpu_utilization:avg',
    by: ['namespace', 'pod'],
    expected: (t) => Object.fromEntries(t.idlePods.map((p) => [`${p.namespace}/${p.name}`, 0])),
    subset: true,
  },
  {
    id: 'record namespace_owner_kind_owner_name:kube_pod_gpu_requests_idle:sum (a Deployment is one job)',
    record: 'namespace_owner_kind_owner_name:kube_pod_gpu_requests_idle:sum',
    by: ['namespace', 'owner_kind', 'owner_name'],
    expected: (t) => t.idleByJob(),
    tolerance: { abs: 1e-9 },
  },
  {
    id: 'record namespace:kube_pod_gpu_requests_idle_hourly_cost:sum',
    record: 'namespace:kube_pod_gpu_requests_idle_hourly_cost:sum',
    by: ['namespace'],
    expected: (t) => t.spendRateByNamespace(t.idlePods),
    tolerance: { abs: 1e-6 },
  },
  {
    id: 'record namespace_model_name:vllm_num_requests_running:sum',
    record: 'namespace_model_name:vllm_num_requests_running:sum',
    by: ['namespace', 'model_name'],
    expected: (_t, ctx) => Object.fromEntries(ctx.cluster.vllmServices.map((v) => [`${v.namespace}/${v.modelName}`, replicasSum(ctx, v.modelName, (b) => b.running)])),
    tolerance: { rel: 0.25, abs: 8 },
  },
  {
    id: 'record namespace_model_name:vllm_kv_cache_usage_perc:max',
    record: 'namespace_model_name:vllm_kv_cache_usage_perc:max',
    by: ['namespace', 'model_name'],
    expected: (_t, ctx) =>
      Object.fromEntries(ctx.cluster.vllmServices.map((v) => [`${v.namespace}/${v.modelName}`, Math.max(...v.replicas.map((r) => vllmBehaviour(ctx.cluster, r, ctx.at, ctx.startedAt).kvCache))])),
    tolerance: { abs: 0.2 },
  },
  {
    id: 'record namespace_model_name:vllm_prompt_tokens:rate5m',
    record: 'namespace_model_name:vllm_prompt_tokens:rate5m',
    by: ['namespace', 'model_name'],
    expected: (_t, ctx) => Object.fromEntries(ctx.cluster.vllmServices.map((v) => [`${v.namespace}/${v.modelName}`, replicasSum(ctx, v.modelName, (b) => b.requestsPerSecond * b.promptTokensPerRequest)])),
    tolerance: { rel: 0.2 },
  },
  {
    id: 'record namespace_ray_io_cluster:ray_resources_gpu_used:sum',
    record: 'namespace_ray_io_cluster:ray_resources_gpu_used:sum',
    by: ['namespace', 'ray_io_cluster'],
    expected: (_t, ctx) => Object.fromEntries(ctx.cluster.rayClusters.map((r) => [`${r.namespace}/${r.name}`, r.pods.reduce((n, p) => n + p.gpus.length, 0)])),
  },

  // ---- Neuron (neuron-value-checks.ts) ----
  ...NEURON_VALUE_CHECKS,
];

/** The value of each series of a result at the end of the view (range: the last step; series that ended before are left out). */
function lastValues(result: PromResult, step?: number): { labels: Record<string, string>; value: number }[] {
  if (result.resultType === 'vector') return (result.result as { metric: Record<string, string>; value: [number, string] }[]).map((s) => ({ labels: s.metric, value: Number(s.value[1]) }));
  if (result.resultType === 'scalar') return [{ labels: {}, value: Number((result.result as unknown as [number, string])[1]) }];
  const series = result.result as { metric: Record<string, string>; values: [number, string][] }[];
  const end = Math.max(...series.flatMap((s) => s.values.map(([t]) => t)));
  return series.filter((s) => s.values.length > 0 && s.values[s.values.length - 1]![0] >= end - (step ?? 0) / 2).map((s) => ({ labels: s.metric, value: Number(s.values[s.values.length - 1]![1]) }));
}

function within(actual: number, expected: number, tolerance: ValueCheck['tolerance']): boolean {
  const allowed = Math.max(tolerance?.abs ?? 1e-6, (tolerance?.rel ?? 0) * Math.abs(expected));
  return Number.isFinite(actual) && Math.abs(actual - expected) <= allowed;
}

const fmt = (n: number) => (Math.abs(n) >= 1000 ? n.toExponential(3) : String(Math.round(n * 1e4) / 1e4));

/** Compares one check's series with its expected answer. */
function compare(check: ValueCheck, values: { labels: Record<string, string>; value: number }[], expected: Expected): CheckOutcome {
  if (typeof expected === 'number') {
    if (values.length !== 1) return { check, ok: false, detail: `expected one series = ${fmt(expected)}, got ${values.length}: ${values.map((v) => `${JSON.stringify(v.labels)}=${fmt(v.value)}`).join(' ') || 'none'}` };
    const ok = within(values[0]!.value, expected, check.tolerance);
    return { check, ok, detail: `${fmt(values[0]!.value)} (expected ${fmt(expected)})` };
  }
  if (Array.isArray(expected)) {
    const got = values.map((v) => v.value).sort((a, b) => a - b);
    const want = [...(expected as readonly number[])].sort((a, b) => a - b);
    const ok = got.length === want.length && got.every((g, i) => within(g, want[i]!, check.tolerance));
    return { check, ok, detail: `[${got.map(fmt).join(', ')}] (expected [${want.map(fmt).join(', ')}])` };
  }
  const byKey = new Map<string, number[]>();
  for (const v of values) {
    const key = (check.by ?? []).map((l) => v.labels[l] ?? '').join('/');
    byKey.set(key, [...(byKey.get(key) ?? []), v.value]);
  }
  const want = expected as Readonly<Record<string, number>>;
  const problems: string[] = [];
  for (const [key, value] of Object.entries(want)) {
    const got = byKey.get(key);
    if (!got) problems.push(`${key}: missing (expected ${fmt(value)})`);
    else if (got.length > 1) problems.push(`${key}: ${got.length} series`);
    else if (!within(got[0]!, value, check.tolerance)) problems.push(`${key}: ${fmt(got[0]!)} (expected ${fmt(value)})`);
  }
  if (!check.subset) for (const [key, got] of byKey) if (!(key in want)) problems.push(`${key}: unexpected ${got.map(fmt).join(',')}`);
  return { check, ok: problems.length === 0, detail: problems.length ? problems.join('; ') : `${Object.keys(want).length} series as expected` };
}

export function withVariables(dashboard: DashboardJson, variables: Readonly<Record<string, string | readonly string[]>>): DashboardJson {
  const copy = structuredClone(dashboard) as DashboardJson & { templating?: { list?: { name: string; current?: unknown }[] } };
  for (const v of copy.templating?.list ?? []) {
    const value = variables[v.name];
    if (value !== undefined) v.current = { value: typeof value === 'string' ? value : [...value], text: typeof value === 'string' ? value : [...value] };
  }
  return copy;
}

/** Runs every check against a Prometheus and the stack's dashboards; `time.to` is the moment of the answers. */
export async function runValueChecks(
  prom: PrometheusRunner,
  dashboards: readonly { readonly json: DashboardJson }[],
  time: TimeContext,
  uids: Readonly<Record<string, string>>,
  ctx: CheckContext,
  checks: readonly ValueCheck[] = VALUE_CHECKS,
): Promise<CheckOutcome[]> {
  const truth = new Truth(ctx.cluster, ctx.at - ctx.startedAt);
  const runs = new Map<string, DashboardRun>();
  const outcomes: CheckOutcome[] = [];
  for (const check of checks) {
    let expected: Expected;
    try {
      expected = check.expected(truth, ctx);
    } catch (error) {
      outcomes.push({ check, ok: false, detail: `no known answer: ${String(error)}` });
      continue;
    }
    if (check.record) {
      const result = await prom.query(check.record, time.to);
      outcomes.push(compare(check, lastValues(result), expected));
      continue;
    }
    const p = check.panel!;
    const dashboard = dashboards.find((d) => d.json.title === p.dashboard);
    if (!dashboard) {
      outcomes.push({ check, ok: false, detail: `no dashboard titled '${p.dashboard}'` });
      continue;
    }
    const key = `${p.dashboard}\u0000${JSON.stringify(p.variables ?? {})}`;
    let run = runs.get(key);
    if (!run) {
      run = await runDashboard(prom, withVariables(dashboard.json, p.variables ?? {}), time, uids);
      runs.set(key, run);
    }
    const panel = run.panels.find((x) => x.title === p.title);
    const query = panel?.queries.find((q) => q.refId === (p.refId ?? 'A'));
    if (!query?.result) {
      outcomes.push({ check, ok: false, detail: panel ? `no query ${p.refId ?? 'A'} with a result (${query?.error ?? 'not run'})` : `no panel titled '${p.title}'` });
      continue;
    }
    outcomes.push(compare(check, lastValues(query.result, query.step), expected));
  }
  return outcomes;
}

/**
 * Checks the current rules and dashboards get wrong on the realistic fixture, each with the section of
 * docs/issue-10-fix-plan.md that fixes it. A check listed here is
 * reported, not failed; every other mismatch fails the test. Remove an entry with its fix.
 */
export const KNOWN_WRONG: Readonly<Record<string, string>> = {
};

/** `values: N/N panel checks matched`, the mismatches that fail, and the known-wrong ones (reported). */
export function valuesReport(outcomes: readonly CheckOutcome[]): { line: string; failures: string; known: string } {
  const ok = outcomes.filter((o) => o.ok).length;
  const panels = outcomes.filter((o) => o.check.panel).length;
  const wrong = outcomes.filter((o) => !o.ok);
  const known = wrong.filter((o) => o.check.id in KNOWN_WRONG);
  return {
    line: `values: ${ok}/${outcomes.length} panel checks matched (${panels} panel queries, ${outcomes.length - panels} recording rules; ${known.length} known wrong until the issue-10 fixes)`,
    failures: wrong
      .filter((o) => !(o.check.id in KNOWN_WRONG))
      .map((o) => `  ${o.check.id}: ${o.detail}`)
      .join('\n'),
    known: known.map((o) => `  ${o.check.id}: ${o.detail} [${KNOWN_WRONG[o.check.id]}]`).join('\n'),
  };
}
