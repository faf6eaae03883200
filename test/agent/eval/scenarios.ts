/**
 * Eval scenarios of the diagnosis agent (test code): a question, the fixture day it is asked on, and what a right
 * answer must name. The names are keys resolved against the fixture's cluster model (which GPU is sick, which pod
 * is idle, which model is overloaded), so the scenario files carry no fixture-generated identifiers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterModel } from '../../prometheus/fixture/cluster.js';

/** What an answer may have to name. */
export const NAMEABLE = {
  'xid-gpu-uuid': (c: ClusterModel) => [c.sick.xidGpus[0]!.gpu.uuid],
  'xid-gpu-node': (c: ClusterModel) => [c.sick.xidGpus[0]!.gpu.node.name],
  'xid-code': (c: ClusterModel) => [`XID ${c.sick.xidGpus[0]!.xid}`, `Xid ${c.sick.xidGpus[0]!.xid}`, `XID: ${c.sick.xidGpus[0]!.xid}`, `XID error ${c.sick.xidGpus[0]!.xid}`],
  'throttling-gpu-uuid': (c: ClusterModel) => [c.sick.throttlingGpus[0]!.uuid],
  'throttling-gpu-node': (c: ClusterModel) => [c.sick.throttlingGpus[0]!.node.name],
  'idle-pod': (c: ClusterModel) => [c.sick.idlePods[0]!.name],
  'idle-pod-namespace': (c: ClusterModel) => [c.sick.idlePods[0]!.namespace],
  'idle-gpu-hourly-cost': (c: ClusterModel) => {
    const price = c.sick.idlePods[0]!.node.gpuModel!.hourlyCost;
    return [`$${price}`, `${price} $`, `$${price.toFixed(2)}`, `${price.toFixed(2)} USD`, `USD ${price.toFixed(2)}`];
  },
  'saturated-model': (c: ClusterModel) => [c.sick.saturatedVllm[0]!.modelName],
  'saturated-model-namespace': (c: ClusterModel) => [c.sick.saturatedVllm[0]!.namespace],
} as const satisfies Record<string, (c: ClusterModel) => string[]>;

export type Nameable = keyof typeof NAMEABLE;

export interface Scenario {
  readonly id: string;
  readonly playbook: 'slow-training-job' | 'idle-gpus-cost' | 'vllm-latency';
  readonly question: string;
  readonly fixtureDay: 'sick';
  readonly mustName: readonly Nameable[];
}

export const SCENARIO_DIR = join(import.meta.dirname, 'scenarios');

/** Every scenario file, validated. */
export function loadScenarios(dir = SCENARIO_DIR): Scenario[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const s = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Scenario;
      const unknown = s.mustName.filter((n) => !(n in NAMEABLE));
      if (unknown.length > 0) throw new Error(`${f}: mustName has unknown keys ${unknown.join(', ')}; known: ${Object.keys(NAMEABLE).join(', ')}`);
      if (s.fixtureDay !== 'sick') throw new Error(`${f}: only the sick day is served by the eval environment`);
      if (`${s.id}.json` !== f) throw new Error(`${f}: id must be the file name`);
      return s;
    });
}

/** One required name and whether the answer contains it (any accepted spelling, case-insensitive). */
export interface NameCheck {
  readonly key: Nameable;
  readonly accepted: readonly string[];
  readonly found: boolean;
}

/** Checks an answer against a scenario on a cluster. */
export function checkAnswer(scenario: Scenario, cluster: ClusterModel, answer: string): NameCheck[] {
  const text = answer.toLowerCase();
  return scenario.mustName.map((key) => {
    const accepted = NAMEABLE[key](cluster);
    return { key, accepted, found: accepted.some((a) => text.includes(a.toLowerCase())) };
  });
}
