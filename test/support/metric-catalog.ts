/**
 * Every metric-name, label-name and recording-rule-name object of the library, by exporter (as in
 * `test/upstream/metrics/catalog.json` `exporters[].name`): the allow-lists the name and PromQL checks read.
 * Append new objects here when a component adds one.
 * @module
 */
import { DCGM_LABELS, DCGM_METRICS } from '../../src/gpu/dcgm-metrics.js';
import { GPU_RECORDS } from '../../src/gpu/gpu-records.js';
import { NEURON_LABELS, NEURON_METRICS } from '../../src/gpu/neuron-metrics.js';
import { NEURON_RECORDS } from '../../src/gpu/neuron-records.js';
import { FLUENT_BIT_LABELS, FLUENT_BIT_METRICS } from '../../src/logs/fluent-bit/fluent-bit-metrics.js';
import { OPENCOST_LABELS, OPENCOST_METRICS } from '../../src/opencost/opencost-metrics.js';
import { KSM_LABELS, KSM_METRICS, KUBE_PROMETHEUS_RECORDS, NODE_EXPORTER_METRICS } from '../../src/prometheus/kube-metrics.js';
import { RAY_AUTOSCALER_METRICS, RAY_GCS_METRICS, RAY_LABELS, RAY_METRICS, RAY_SERVE_METRICS } from '../../src/ray/ray-metrics.js';
import { RAY_RECORDS } from '../../src/ray/ray-records.js';
import { NODE_RECORDS } from '../../src/prometheus/node-records.js';
import { VLLM_LABELS, VLLM_LEGACY_METRICS, VLLM_METRICS } from '../../src/vllm/vllm-metrics.js';
import { VLLM_RECORDS } from '../../src/vllm/vllm-records.js';

export const METRIC_CATALOG: Readonly<Record<string, readonly Readonly<Record<string, string>>[]>> = {
  'dcgm-exporter': [DCGM_METRICS],
  vllm: [VLLM_METRICS, VLLM_LEGACY_METRICS],
  ray: [RAY_METRICS, RAY_GCS_METRICS, RAY_SERVE_METRICS, RAY_AUTOSCALER_METRICS],
  'neuron-monitor-prometheus': [NEURON_METRICS],
  opencost: [OPENCOST_METRICS],
  'node-exporter': [NODE_EXPORTER_METRICS],
  'kube-prometheus-recording-rules': [KUBE_PROMETHEUS_RECORDS],
  'kube-state-metrics': [KSM_METRICS],
  'fluent-bit': [FLUENT_BIT_METRICS],
};

/** Every label-name object of this module, by exporter (catalog.yaml `exporters[].name`). */
export const LABEL_CATALOG: Readonly<Record<string, readonly Readonly<Record<string, string>>[]>> = {
  'dcgm-exporter': [DCGM_LABELS],
  vllm: [VLLM_LABELS],
  ray: [RAY_LABELS],
  'neuron-monitor-prometheus': [NEURON_LABELS],
  opencost: [OPENCOST_LABELS],
  'kube-state-metrics': [KSM_LABELS],
  'fluent-bit': [FLUENT_BIT_LABELS],
};

/** Every recording-rule name this library produces. */
export const RECORDING_RULE_NAMES: readonly string[] = [
  ...Object.values(GPU_RECORDS),
  ...Object.values(VLLM_RECORDS),
  ...Object.values(RAY_RECORDS),
  ...Object.values(NEURON_RECORDS),
  ...Object.values(NODE_RECORDS),
].sort();
