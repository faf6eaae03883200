/**
 * The scripted model's behaviour for the three playbooks (test code). Each script runs the playbook's own queries
 * (taken from the generated knowledge, not retyped) through the Prometheus MCP server, picks what to look at next
 * from the REAL results (which GPU, which pod, which model), asks the Kubernetes MCP server about it, and writes an
 * answer from the values it was given. Nothing in a script knows the fixture: every name and number in an answer
 * comes from a tool result.
 */
import type { Playbook } from '../../../src/agent/playbooks.js';
import type { StackKnowledge } from '../../../src/agent/system-prompt.js';
import type { Script, SeenToolResult } from './scripted-model.js';

/** The tool names of the servers under test (prometheus-mcp and kubernetes-mcp-server, as the agent names them). */
export interface ScriptTools {
  /** Instant PromQL query tool; its argument is `query`. */
  readonly promQuery: string;
  /** Lists pods of a namespace: arguments `namespace`, `labelSelector`. */
  readonly podsInNamespace: string;
  /** Gets one pod: arguments `namespace`, `name`. */
  readonly podGet: string;
}

export const TEST_SERVER_TOOLS: ScriptTools = {
  promQuery: 'prometheus_prometheus_query',
  podsInNamespace: 'kubernetes_pods_list_in_namespace',
  podGet: 'kubernetes_pods_get',
};

export interface Sample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

/** The samples of a Prometheus MCP tool result (`{resultType, result}` or the API's `{data: {...}}`). */
export function samples(result: SeenToolResult | undefined): Sample[] {
  if (!result || result.value?.status !== 'ok') return [];
  const json = JSON.parse(result.value.data) as { result?: unknown; data?: { result?: unknown } };
  const list = (json.result ?? json.data?.result ?? []) as { metric: Record<string, string>; value: [number, string] }[];
  return list.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

const step = (p: Playbook, purpose: RegExp): string => {
  const s = p.steps.find((x) => x.promql && purpose.test(x.purpose));
  if (!s?.promql) throw new Error(`playbook ${p.id} has no step matching ${purpose}`);
  return s.promql;
};
const playbook = (k: StackKnowledge, id: Playbook['id']) => k.playbooks.find((p) => p.id === id)!;
const fmt = (n: number, digits = 2) => (Math.round(n * 10 ** digits) / 10 ** digits).toString();
const byTool = (results: readonly SeenToolResult[], tool: string) => results.filter((r) => r.toolName === tool);

/** Slow training job: utilisation of the job, then XID and throttling per GPU of its pods, then its pods. */
export function slowTrainingScript(k: StackKnowledge, tools: ScriptTools = TEST_SERVER_TOOLS): Script {
  const p = playbook(k, 'slow-training-job');
  const q = { util: step(p, /How busy/), xid: step(p, /XID/), throttle: step(p, /Thermal throttling/), temp: step(p, /Temperature/) };
  return (state) => {
    const job = /job (\S+) in (\S+?)[?.\s]/.exec(state.question);
    if (!job) return { answer: 'Which job? Name the Ray cluster and its namespace.' };
    const [, cluster, namespace] = job as unknown as [string, string, string];
    if (state.step === 0) return { call: [{ tool: tools.promQuery, input: { query: q.util } }] };
    if (state.step === 1) return { call: [q.xid, q.throttle, q.temp].map((query) => ({ tool: tools.promQuery, input: { query } })) };
    if (state.step === 2) return { call: [{ tool: tools.podsInNamespace, input: { namespace, labelSelector: `ray.io/cluster=${cluster}` } }] };
    const [util, xid, throttle, temp] = state.results.slice(0, 4).map((r) => samples(r));
    const pods = byTool(state.results, tools.podsInNamespace)[0]?.value.data ?? '';
    const mine = (s: Sample) => s.metric.namespace === namespace && (s.metric.pod ?? '').startsWith(`${cluster}-`) && pods.includes(s.metric.pod ?? '\0');
    const jobUtil = util?.find((s) => s.metric.ray_io_cluster === cluster && s.metric.namespace === namespace);
    const lines: string[] = [`Training job ${cluster} in ${namespace}: mean GPU utilisation ${jobUtil ? `${fmt(jobUtil.value, 1)} %` : 'not reported'}.`];
    const gpu = (s: Sample) => `GPU ${s.metric.gpu} (UUID ${s.metric.UUID}) on node ${s.metric.node}, held by pod ${s.metric.pod}`;
    for (const s of (xid ?? []).filter(mine)) lines.push(`- ${gpu(s)} reported XID ${s.value}: the GPU is not usable until it is reset; the job stalls on it.`);
    const throttleLimit = Number(/alert above ([\d.]+)/.exec(p.steps.find((x) => x.promql === q.throttle)!.purpose)?.[1]);
    for (const s of (throttle ?? []).filter((x) => mine(x) && x.value > throttleLimit)) {
      const t = temp?.find((x) => x.metric.UUID === s.metric.UUID);
      lines.push(`- ${gpu(s)} is thermally throttled ${fmt(s.value * 100, 0)} % of the time${t ? ` at ${fmt(t.value, 0)} °C` : ''}: every synchronous step waits for it.`);
    }
    if (lines.length === 1) lines.push('- No XID error or thermal throttling on its GPUs: look at the host (CPU, data loading) next.');
    lines.push(`Fix: cordon and drain the node of a GPU with a fatal XID (kubectl cordon <node>), reset or replace the GPU, and restart the job from its last checkpoint; check cooling and power capping for the throttled GPU. Dashboard: /d/${p.dashboardUid}.`);
    return { answer: lines.join('\n') };
  };
}

/** Idle GPUs and their cost: idle pods, their cost by owner, then the pod itself. */
export function idleGpuCostScript(k: StackKnowledge, tools: ScriptTools = TEST_SERVER_TOOLS): Script {
  const p = playbook(k, 'idle-gpus-cost');
  const q = { idle: step(p, /Pods holding GPUs/), cost: step(p, /cost per hour/) };
  return (state) => {
    if (state.step === 0) return { call: [q.idle, q.cost].map((query) => ({ tool: tools.promQuery, input: { query } })) };
    const [idle, cost] = state.results.slice(0, 2).map((r) => samples(r));
    if (!idle?.length) return { answer: 'No pod holds an idle GPU right now.' };
    if (state.step === 1) return { call: idle.map((s) => ({ tool: tools.podGet, input: { namespace: s.metric.namespace!, name: s.metric.pod! } })) };
    const lines = ['Allocated but idle GPUs:'];
    idle.forEach((s, i) => {
      const yaml = state.results[2 + i]?.value.data ?? '';
      const owner = /kind: (\w+)\s+name: (\S+)/.exec(yaml);
      const node = /nodeName: (\S+)/.exec(yaml)?.[1];
      // the cost record's job is the Deployment for a ReplicaSet's pod (`<deployment>-<pod-template-hash>`)
      const ownsPod = (c: (typeof idle)[number]) =>
        owner !== null && (c.metric.owner_name === owner[2] || (owner[1] === 'ReplicaSet' && c.metric.owner_kind === 'Deployment' && owner[2]!.startsWith(`${c.metric.owner_name}-`)));
      const hourly = cost?.find((c) => c.metric.namespace === s.metric.namespace && ownsPod(c));
      lines.push(
        `- pod ${s.metric.namespace}/${s.metric.pod} (${owner ? `${owner[1]} ${owner[2]}` : 'owner unknown'}${node ? `, node ${node}` : ''}) holds ${fmt(s.value)} GPU(s) at 0-5 % utilisation` +
          (hourly ? `, costing $${fmt(hourly.value)} per hour (about $${Math.round(hourly.value * 730).toLocaleString('en-US')} per month).` : '.'),
      );
    });
    lines.push(`Fix: stop the workload or scale it to zero when unused (an idle culler for notebooks), or lower its GPU request. Dashboard: /d/${p.dashboardUid}.`);
    return { answer: lines.join('\n') };
  };
}

/** vLLM latency: TTFT per model, then queue, KV cache and preemptions, then the model's pods. */
export function vllmLatencyScript(k: StackKnowledge, tools: ScriptTools = TEST_SERVER_TOOLS): Script {
  const p = playbook(k, 'vllm-latency');
  const q = { ttft: step(p, /time to first token/), waiting: step(p, /Requests waiting/), kv: step(p, /KV-cache usage/), preempt: step(p, /Preemptions/) };
  const slo = Number(/SLO is ([\d.]+) s/.exec(p.steps.find((x) => x.promql === q.ttft)!.purpose)?.[1]);
  return (state) => {
    if (state.step === 0) return { call: [{ tool: tools.promQuery, input: { query: q.ttft } }] };
    const ttft = samples(state.results[0]);
    const worst = ttft.sort((a, b) => b.value - a.value)[0];
    if (!worst) return { answer: 'No vLLM model reports time to first token.' };
    if (state.step === 1) return { call: [q.waiting, q.kv, q.preempt].map((query) => ({ tool: tools.promQuery, input: { query } })) };
    if (state.step === 2) return { call: [{ tool: tools.podsInNamespace, input: { namespace: worst.metric.namespace! } }] };
    const same = (s: Sample) => s.metric.model_name === worst.metric.model_name && s.metric.namespace === worst.metric.namespace;
    const [waiting, kv, preempt] = state.results.slice(1, 4).map((r) => samples(r).find(same));
    const pods = (state.results[4]?.value.data ?? '').split('\n').filter((l: string) => l.includes('Running')).map((l: string) => l.trim().split(/\s+/)[3]);
    const lines = [
      `Model ${worst.metric.model_name} in ${worst.metric.namespace}: p95 time to first token ${fmt(worst.value)} s${worst.value > slo ? ` (SLO ${slo} s: breached)` : ''}.`,
      `- ${waiting ? fmt(waiting.value, 1) : '?'} requests waiting; KV cache ${kv ? fmt(kv.value * 100, 0) : '?'} % full; ${preempt ? fmt(preempt.value) : '?'} preemptions per second.`,
      `- Serving pods: ${pods.join(', ') || 'none found'}.`,
      kv && kv.value > 0.9
        ? 'Cause: the KV cache is full, so vLLM stops admitting requests and preempts running ones; the queue, and with it the first-token time, grows.'
        : 'Cause: requests queue; look at prefill load and the GPUs next.',
      `Fix: add replicas (raise the Ray Serve autoscaling max_replicas), or lower max_num_seqs / max_model_len or raise gpu_memory_utilization so more sequences fit; enable prefix caching for shared prompts. Dashboard: /d/${p.dashboardUid}.`,
    ];
    return { answer: lines.join('\n') };
  };
}
