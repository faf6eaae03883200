/**
 * Lucene queries for the log panels. Lucene (not PPL) because Grafana has a `lucene` variable format that turns a
 * multi-value or "All" selection into `("a" OR "b")`, which PPL has no equivalent for on every OpenSearch release.
 * The index pattern is the logs datasource's (`jsonData.database`): the log data streams' documents carry their
 * hidden backing index (`.ds-logs-...`) in `_index`, so the query does not repeat it.
 * @module
 */
import type { LogsSource } from './context.js';

const LUCENE_SPECIAL = /[+\-=&|><!(){}[\]^"~*?:\\/ ]/g;

/** Escapes a Lucene term or field name (dots stay: in a field name they separate object fields). */
export function escapeLucene(term: string): string {
  return term.replace(LUCENE_SPECIAL, (c) => `\\${c}`);
}

/**
 * Container logs of the pods selected by two template variables: `namespaceVariable` (one namespace) and
 * `podVariable` (one, several or all pods), both rendered with Grafana's `lucene` format.
 */
export function podLogsQuery(logs: LogsSource, namespaceVariable: string, podVariable: string): string {
  return [
    `${escapeLucene(logs.source.field)}:${escapeLucene(logs.source.containerValue)}`,
    `${escapeLucene(logs.namespaceField)}:\${${namespaceVariable}:lucene}`,
    `${escapeLucene(logs.podField)}:\${${podVariable}:lucene}`,
  ].join(' AND ');
}
