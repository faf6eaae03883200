import { Construct } from 'constructs';
import { OpenSearchIsmPolicy, OpensearchIndexTemplate } from '../../../imports/opensearch.opster.io.js';
import { APP_LABELS, KUBERAY_LABELS, LOG_FIELDS, LOG_INDEX_PATTERN } from '../log-fields.js';
import { PropChecks } from '../../core/value-types.js';
import { LOG_INDEX_LIFECYCLE_VALUE_TYPES } from './opensearch-value-types.js';

/** What {@link LogIndexLifecycle} uses for props left out. */
export const LOG_INDEX_LIFECYCLE_DEFAULTS = { retentionDays: 7, rolloverAge: '1d', rolloverPrimaryShardSize: '10gb' } as const;

/** Props of {@link LogIndexLifecycle}. */
export interface LogIndexLifecycleProps {
  /** Namespace of the OpenSearchCluster (the resources must live beside it). */
  readonly namespace: string;
  /** Name of the OpenSearchCluster resource the template and policy are applied to. */
  readonly clusterName: string;
  /**
   * Days a log record is kept: a backing index is deleted once it has been rolled over this long ago, so every
   * record in it is at least this old.
   * @default {@link LOG_INDEX_LIFECYCLE_DEFAULTS}.retentionDays
   */
  readonly retentionDays?: number;
  /**
   * Age at which the write index of a log data stream is rolled over.
   * @default "1d"
   */
  readonly rolloverAge?: string;
  /**
   * Primary shard size at which the write index is rolled over, whichever of age and size comes first.
   * @default "10gb"
   */
  readonly rolloverPrimaryShardSize?: string;
  /**
   * Replicas of each log index (keep at most data nodes - 1).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Primary shards of each log index.
   * @default 1
   */
  readonly shards?: number;
}

/** Pod label field names (after `Replace_Dots`) mapped explicitly as keywords. */
function explicitLabelProperties(): Record<string, { type: 'keyword' }> {
  const labels = [...Object.values(KUBERAY_LABELS), ...Object.values(APP_LABELS)].sort();
  return Object.fromEntries(labels.map((label) => [label.replaceAll('.', '_'), { type: 'keyword' as const }]));
}

/** Splits a dotted field path into nested `properties`, e.g. `kubernetes.pod_name` under `kubernetes`. */
function nest(fields: ReadonlyArray<readonly [string, Record<string, unknown>]>): Record<string, unknown> {
  const root: Record<string, any> = {};
  for (const [path, mapping] of fields) {
    const parts = path.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= { properties: {} };
      node = node[part].properties;
    }
    node[parts[parts.length - 1]!] = mapping;
  }
  return root;
}

/**
 * Mappings of the log data streams: {@link LOG_FIELDS} typed explicitly (the message is full text, everything one
 * filters or groups by is a keyword), pod labels always keywords (also the ones not listed), and any other string
 * a keyword, so the first value seen never turns a field into a type later records conflict with.
 */
export function logIndexMappings(): Record<string, unknown> {
  const keyword = { type: 'keyword' };
  return {
    dynamic_templates: [
      { pod_labels: { path_match: `${LOG_FIELDS.labels}.*`, mapping: { type: 'keyword', ignore_above: 512 } } },
      { strings_as_keywords: { match_mapping_type: 'string', mapping: { type: 'keyword', ignore_above: 1024 } } },
    ],
    properties: nest([
      [LOG_FIELDS.timestamp, { type: 'date' }],
      [LOG_FIELDS.message, { type: 'text' }],
      [LOG_FIELDS.source, keyword],
      [LOG_FIELDS.cluster, keyword],
      [LOG_FIELDS.stream, keyword],
      [LOG_FIELDS.namespace, keyword],
      [LOG_FIELDS.pod, keyword],
      [LOG_FIELDS.container, keyword],
      [LOG_FIELDS.node, keyword],
      [LOG_FIELDS.image, keyword],
      [LOG_FIELDS.podId, keyword],
      [LOG_FIELDS.labels, { properties: explicitLabelProperties() }],
      [LOG_FIELDS.systemdUnit, keyword],
      [LOG_FIELDS.priority, keyword],
      [LOG_FIELDS.syslogIdentifier, keyword],
    ]),
  };
}

/**
 * Keeps the log disk from filling: an index template that makes every `logs-*` index a data stream with the log
 * mappings, and an ISM policy that rolls each data stream's write index over daily (or at a shard size) and deletes
 * backing indices `retentionDays` after their rollover. Both are operator resources (OpensearchIndexTemplate,
 * OpenSearchISMPolicy) applied to the named cluster; the policy's ISM template attaches it to new backing indices.
 */
export class LogIndexLifecycle extends Construct {
  /** Name of the index template in OpenSearch. */
  public readonly templateName: string;
  /** Id of the ISM policy in OpenSearch. */
  public readonly policyId: string;
  /** Days a record is kept. */
  public readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: LogIndexLifecycleProps) {
    super(scope, id);
    const checks = new PropChecks();
    for (const key of ['retentionDays', 'rolloverAge', 'rolloverPrimaryShardSize'] as const) checks.check(LOG_INDEX_LIFECYCLE_VALUE_TYPES[key], props[key], key);
    checks.throwIfAny();
    this.retentionDays = props.retentionDays ?? LOG_INDEX_LIFECYCLE_DEFAULTS.retentionDays;
    const rolloverAge = props.rolloverAge ?? LOG_INDEX_LIFECYCLE_DEFAULTS.rolloverAge;
    const rolloverSize = props.rolloverPrimaryShardSize ?? LOG_INDEX_LIFECYCLE_DEFAULTS.rolloverPrimaryShardSize;
    const replicas = props.replicas ?? 1;
    const shards = props.shards ?? 1;

    this.templateName = `${props.clusterName}-log-streams`;
    this.policyId = `${props.clusterName}-log-retention`;
    const cluster = { name: props.clusterName };

    new OpensearchIndexTemplate(this, 'template', {
      metadata: { name: this.templateName, namespace: props.namespace },
      spec: {
        opensearchCluster: cluster,
        name: this.templateName,
        indexPatterns: [LOG_INDEX_PATTERN],
        dataStream: { timestampField: { name: LOG_FIELDS.timestamp } },
        priority: 200,
        template: {
          settings: {
            index: {
              number_of_shards: shards,
              number_of_replicas: replicas,
              refresh_interval: '5s',
              // Every pod label is a field; leave room for many label keys across the fleet.
              mapping: { total_fields: { limit: 2000 } },
            },
          },
          mappings: logIndexMappings(),
        },
      },
    });

    new OpenSearchIsmPolicy(this, 'retention', {
      metadata: { name: this.policyId, namespace: props.namespace },
      spec: {
        opensearchCluster: cluster,
        policyId: this.policyId,
        description: `Roll log data streams over every ${rolloverAge} or at ${rolloverSize} per primary shard; delete backing indices ${this.retentionDays}d after rollover.`,
        defaultState: 'hot',
        states: [
          {
            name: 'hot',
            actions: [
              {
                retry: { count: 3, backoff: 'exponential', delay: '1m' },
                rollover: { minIndexAge: rolloverAge, minPrimaryShardSize: rolloverSize },
              },
            ],
            transitions: [{ stateName: 'delete', conditions: { minRolloverAge: `${this.retentionDays}d` } }],
          },
          {
            name: 'delete',
            actions: [{ retry: { count: 3, backoff: 'exponential', delay: '1m' }, delete: {} }],
            transitions: [],
          },
        ],
        // Matched against the data stream name for backing indices, so new `.ds-logs-*` indices get the policy.
        ismTemplate: { indexPatterns: [LOG_INDEX_PATTERN], priority: 100 },
      },
    });
  }
}
