/**
 * What the `fleet` remote-write preset sends: the series of this library's recording rules (every name in the
 * components' `*_RECORDS`) and the raw series the fleet views read. A test holds the list against every `record:`
 * of a synthesized stack, so a recording rule added without its name here fails it.
 * @module
 */
import { GPU_RECORDS } from '../gpu/gpu-records.js';
import { NEURON_RECORDS } from '../gpu/neuron-records.js';
import { NODE_RECORDS } from '../prometheus/node-records.js';
import { RAY_RECORDS } from '../ray/ray-records.js';
import { VLLM_RECORDS } from '../vllm/vllm-records.js';

/**
 * Raw series the fleet views read: `up` (the cluster variable lists clusters from it; a target down shows there)
 * and `ALERTS` (the alerts a leaf evaluates, firing or pending, one series per alert instance).
 */
export const FLEET_RAW_SERIES = ['up', 'ALERTS'] as const;

/** Every metric name the `fleet` preset keeps, sorted. */
export function fleetSeriesNames(): string[] {
  const recorded = [GPU_RECORDS, NEURON_RECORDS, NODE_RECORDS, RAY_RECORDS, VLLM_RECORDS].flatMap((records) => Object.values(records) as string[]);
  return [...new Set([...recorded, ...FLEET_RAW_SERIES])].sort();
}
