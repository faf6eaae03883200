import type { RuleGroupSpec } from '../core/rule-types.js';
import { NODE_EXPORTER_METRICS as N } from './kube-metrics.js';
import { NODE_LAYERED_DISKS_REGEX, NODE_RECORDS, NODE_VIRTUAL_INTERFACES_REGEX } from './node-records.js';

/** Name of the PrometheusRule with the node recording rules (and of its promtool rule file, `<name>.yaml`). */
export const NODE_RULES_NAME = 'node-rules';

/** kube-prometheus-stack's job label of node-exporter (its ServiceMonitor's jobLabel). */
const NODE_EXPORTER_JOB = 'job="node-exporter"';

const perNode = (counter: string, exclude: string) => `sum without (device) (rate(${counter}{${NODE_EXPORTER_JOB}, device!~"${exclude}"}[5m]))`;

/**
 * Node network and disk throughput that count each byte once (issue 10 item 9): kube-prometheus' `*_excluding_lo`
 * records sum every interface but loopback, pod veths included, and the disk panels summed md / dm devices with
 * their member disks.
 */
export function nodeRuleGroups(): RuleGroupSpec[] {
  return [
    {
      name: 'node.records',
      rules: [
        { record: NODE_RECORDS.NETWORK_RECEIVE_BYTES_PHYSICAL_RATE5M, expr: perNode(N.NETWORK_RECEIVE_BYTES_TOTAL, NODE_VIRTUAL_INTERFACES_REGEX) },
        { record: NODE_RECORDS.NETWORK_TRANSMIT_BYTES_PHYSICAL_RATE5M, expr: perNode(N.NETWORK_TRANSMIT_BYTES_TOTAL, NODE_VIRTUAL_INTERFACES_REGEX) },
        { record: NODE_RECORDS.DISK_READ_BYTES_PHYSICAL_RATE5M, expr: perNode(N.DISK_READ_BYTES_TOTAL, NODE_LAYERED_DISKS_REGEX) },
        { record: NODE_RECORDS.DISK_WRITTEN_BYTES_PHYSICAL_RATE5M, expr: perNode(N.DISK_WRITTEN_BYTES_TOTAL, NODE_LAYERED_DISKS_REGEX) },
      ],
    },
  ];
}
