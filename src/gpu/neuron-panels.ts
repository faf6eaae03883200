/**
 * Neuron panels shared by the Neuron dashboard and the fleet-and-cost dashboard: NeuronCores the nodes offer and the
 * pods ask for (kube-state-metrics, through the Neuron recording rules), counted apart from GPUs.
 * @module
 */
import { KSM_RESOURCES } from '../prometheus/kube-metrics.js';
import { prom, stat, type PanelDraft } from '../dashboards/toolkit/panels.js';
import { NEURON_RECORDS } from './neuron-records.js';

/** A NeuronCore count tile. */
function coreCount(title: string, description: string, expr: string, width: number): PanelDraft {
  return stat({ title, description, queries: [prom(expr, { legend: title })], unit: 'short', decimals: 0, width, height: 5 });
}

/** NeuronCores the nodes offer to pods. */
export function allocatableNeuronCores(width = 6): PanelDraft {
  return coreCount(
    'Allocatable NeuronCores',
    `NeuronCores the nodes offer to pods (${NEURON_RECORDS.ALLOCATABLE}, from kube_node_status_allocatable{resource="${KSM_RESOURCES.AWS_NEURONCORE}"}). ` +
      'Counted apart from GPUs. Bad: fewer than the Neuron nodes have means the Neuron device plugin is not running on some node.',
    NEURON_RECORDS.ALLOCATABLE,
    width,
  );
}

/** NeuronCores requested by running pods, whole-device requests counted as the device's cores. */
export function allocatedNeuronCores(width = 6): PanelDraft {
  return coreCount(
    'Allocated NeuronCores',
    `NeuronCores requested by running pods (${NEURON_RECORDS.ALLOCATED}): ${KSM_RESOURCES.AWS_NEURONCORE} requests as they are, and ` +
      `${KSM_RESOURCES.AWS_NEURON} / ${KSM_RESOURCES.AWS_NEURONDEVICE} (whole-device) requests times the NeuronCores per device of the node, since ` +
      'the device plugin gives such a pod every core of the device. Bad: equal to allocatable while pods wait means the Neuron fleet is full; ' +
      'compare with the NeuronCore utilisation before adding nodes.',
    NEURON_RECORDS.ALLOCATED,
    width,
  );
}
