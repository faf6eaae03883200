import { describe, expect, it } from 'vitest';
import { LOG_TAG_REGEX, LOG_TAGS } from '../../src/logs/fluent-bit/fluent-bit-pipeline.js';
import {
  KUBERAY_LABELS,
  LOG_BACKING_INDEX_PATTERN,
  LOG_DATA_STREAM_PREFIX,
  LOG_INDEX_PATTERN,
  LOG_SOURCES,
  labelField,
  logDataStream,
  RAY_LOG_FIELDS,
} from '../../src/logs/log-fields.js';

/** An OpenSearch wildcard index pattern as a regex. */
const wildcard = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`);

describe('log fields and index names (what dashboards import)', () => {
  it('names a data stream per source, all matched by the index pattern, their backing indices by the backing pattern', () => {
    for (const source of Object.values(LOG_SOURCES)) {
      const stream = logDataStream(source);
      expect(stream).toBe(`${LOG_DATA_STREAM_PREFIX}${source}`);
      expect(stream).toMatch(wildcard(LOG_INDEX_PATTERN));
      expect(`.ds-${stream}-000001`).toMatch(wildcard(LOG_BACKING_INDEX_PATTERN));
      expect(`.ds-${stream}-000001`).not.toMatch(wildcard(LOG_INDEX_PATTERN));
    }
  });

  it('turns a pod label into its field the way Fluent Bit\'s Replace_Dots stores it', () => {
    expect(labelField('ray.io/cluster')).toBe('kubernetes.labels.ray_io/cluster');
    expect(labelField('app')).toBe('kubernetes.labels.app');
    expect(RAY_LOG_FIELDS.cluster).toBe(labelField(KUBERAY_LABELS.cluster));
    expect(RAY_LOG_FIELDS.jobName).toBe('kubernetes.labels.batch_kubernetes_io/job-name');
  });

  it('routes every built-in input to the OpenSearch output, and nothing else', () => {
    const regex = new RegExp(LOG_TAG_REGEX);
    expect('kube.var.log.containers.x_y_z-1.log').toMatch(regex);
    expect(LOG_TAGS.systemd).toMatch(regex);
    expect(LOG_TAGS.kernel).toMatch(regex);
    expect('app.audit').not.toMatch(regex);
  });
});
