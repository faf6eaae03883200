/**
 * The OpenSearch logs query of a panel, as the grafana-opensearch-datasource plugin stores it. The foundation SDK
 * ships query types for Grafana's core datasources only; this is the third-party query type the SDK documents
 * adding (a `cog.Dataquery` variant and its builder).
 * @module
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type { DataSourceRef } from './model.js';

/** An OpenSearch logs query (Lucene syntax). */
export interface OpenSearchLogsQuery extends cog.Dataquery {
  readonly refId: string;
  readonly datasource: DataSourceRef;
  readonly queryType: 'lucene';
  readonly query: string;
  /** One `logs` metric: the raw documents, newest first. */
  readonly metrics: readonly [{ readonly id: string; readonly type: 'logs' }];
  readonly bucketAggs: readonly [];
  readonly timeField: string;
}

/** Builds an {@link OpenSearchLogsQuery} for a panel builder's `withTarget`. */
export function openSearchLogsQuery(props: { refId: string; datasource: DataSourceRef; query: string; timeField: string }): cog.Builder<OpenSearchLogsQuery> {
  const query: OpenSearchLogsQuery = {
    refId: props.refId,
    datasource: props.datasource,
    queryType: 'lucene',
    query: props.query,
    metrics: [{ id: '1', type: 'logs' }],
    bucketAggs: [],
    timeField: props.timeField,
    // Marks the object as a Dataquery variant for the SDK's types; JSON.stringify leaves functions out.
    _implementsDataqueryVariant() {},
  };
  return { build: () => query };
}
