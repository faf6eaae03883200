import { describe, expect, it } from 'vitest';
import { OPENSEARCH_SNAPSHOTS_DEFAULTS } from '../../src/logs/opensearch/opensearch-snapshots.js';
import { CERTIFICATES_HOT_RELOAD_SETTING } from '../../src/logs/opensearch/opensearch-cluster.js';
import { configProblems } from '../support/config.js';
import { kubeValidate } from '../support/kube-validate.js';
import { ofKind, one, synthStack } from '../support/synth.js';

const clusterOf = (objects: ReturnType<typeof synthStack>['objects']) => one(objects, 'OpenSearchCluster', 'logs');

describe('OpenSearch snapshots to S3', () => {
  it('are off unless a bucket is given: no plugin download, no repository, no policy', () => {
    const { objects } = synthStack();
    expect(ofKind(objects, 'OpensearchSnapshotPolicy')).toEqual([]);
    expect(clusterOf(objects).spec.general.pluginsList).toBeUndefined();
    expect(clusterOf(objects).spec.general.snapshotRepositories).toBeUndefined();
  });

  it('register one S3 repository on the cluster and a policy that snapshots the log data streams into it', () => {
    const { chart, objects } = synthStack({ openSearch: { snapshots: { bucket: 'acme-logs-backup' } } });
    const general = clusterOf(objects).spec.general;
    expect(general.pluginsList).toEqual(['repository-s3']);
    expect(general.snapshotRepositories).toEqual([
      { name: OPENSEARCH_SNAPSHOTS_DEFAULTS.repository, type: 's3', settings: { bucket: 'acme-logs-backup', base_path: 'observability/logs' } },
    ]);
    expect(general.keystore).toBeUndefined();
    // No S3 client setting; the certificate hot reload, which every cluster carries (docs/logs.md, Certificates), and
    // the setting that lets OpenSearch run under the restricted Pod Security level (docs/security.md).
    expect(general.additionalConfig).toEqual({ 'node.store.allow_mmap': 'false', [CERTIFICATES_HOT_RELOAD_SETTING]: 'true' });
    const [policy] = ofKind(objects, 'OpensearchSnapshotPolicy');
    expect(policy!.metadata.namespace).toBe(clusterOf(objects).metadata.namespace);
    expect(policy!.spec.opensearchCluster).toEqual({ name: 'logs' });
    expect(policy!.spec.snapshotConfig).toMatchObject({
      repository: general.snapshotRepositories[0].name,
      indices: chart.openSearch!.logIndexPattern,
      includeGlobalState: false,
    });
    expect(policy!.spec.creation.schedule.cron).toEqual({ expression: '0 2 * * *', timezone: 'UTC' });
    expect(policy!.spec.deletion.deleteCondition).toEqual({ maxAge: '14d', maxCount: 30, minCount: 1 });
    const result = kubeValidate(objects);
    expect(result.invalid, result.output).toBe(0);
  });

  it('reach an S3-compatible store with keys from a Secret: keystore entries and client settings, no key in the spec', () => {
    const { objects } = synthStack({
      namespace: 'obs',
      openSearch: {
        snapshots: {
          bucket: 'logs',
          basePath: 'prod/logs',
          endpoint: 'https://minio.storage.svc:9000/',
          region: 'eu-west-1',
          pathStyleAccess: true,
          credentialsSecret: 'minio-logs',
          schedule: '30 */6 * * *',
          maxAge: '7d',
          maxCount: 10,
        },
      },
    });
    const general = clusterOf(objects).spec.general;
    expect(general.keystore).toEqual([
      { secret: { name: 'minio-logs' }, keyMappings: { 'access-key': 's3.client.default.access_key', 'secret-key': 's3.client.default.secret_key' } },
    ]);
    expect(general.additionalConfig).toEqual({
      [CERTIFICATES_HOT_RELOAD_SETTING]: 'true',
      // Kept beside the S3 settings (docs/security.md): the cluster still runs under restricted.
      'node.store.allow_mmap': 'false',
      's3.client.default.endpoint': 'https://minio.storage.svc:9000',
      's3.client.default.region': 'eu-west-1',
      's3.client.default.path_style_access': 'true',
    });
    expect(general.snapshotRepositories[0].settings).toEqual({ bucket: 'logs', base_path: 'prod/logs' });
    const [policy] = ofKind(objects, 'OpensearchSnapshotPolicy');
    expect(policy!.spec.creation.schedule.cron.expression).toBe('30 */6 * * *');
    expect(policy!.spec.deletion.deleteCondition).toEqual({ maxAge: '7d', maxCount: 10, minCount: 1 });
  });

  it('config errors name the key and what is allowed', () => {
    expect(configProblems('charts:\n  delivery: flux\nopensearch:\n  snapshots:\n    bucket: Bad_Bucket\n')).toEqual([
      'opensearch.snapshots.bucket: "Bad_Bucket" is not allowed: must be an S3 bucket name: 3 to 63 lower-case letters, digits, "." and "-"',
    ]);
    expect(configProblems('charts:\n  delivery: flux\nopensearch:\n  snapshots:\n    region: us-east-1\n')[0]).toMatch(/^opensearch\.snapshots\.bucket: /);
    expect(configProblems('charts:\n  delivery: flux\nopensearch:\n  snapshots:\n    bucket: b12\n    maxAge: 0d\n    schedule: daily\n')).toEqual([
      expect.stringMatching(/^opensearch\.snapshots\.schedule: "daily" is not allowed: must be a cron expression of five fields/),
      expect.stringMatching(/^opensearch\.snapshots\.maxAge: "0d" is not allowed: must be an age such as 14d/),
    ]);
  });
});
