import bcrypt from 'bcryptjs';
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/load-config.js';
import { MemoryCredentialStore } from '../../src/core/credential-store.js';
import { createDelivery } from '../../src/delivery/create-delivery.js';
import { LOG_BACKING_INDEX_PATTERN, LOG_FIELDS, LOG_INDEX_PATTERN, RAY_LOG_FIELDS } from '../../src/logs/log-fields.js';
import { GRAFANA_OPENSEARCH_ENV, OPENSEARCH_DATASOURCE_FILE, OPENSEARCH_DATASOURCE_PLUGIN, OPENSEARCH_LOGS_DATASOURCE_UID } from '../../src/logs/opensearch/opensearch-datasource.js';
import {
  DASHBOARDS_SERVER_USERNAME,
  INTERNAL_USERS_KEY,
  LOG_READER_PERMISSIONS,
  LOG_WRITER_PERMISSIONS,
  OpenSearchCluster,
  type OpenSearchClusterProps,
} from '../../src/logs/opensearch/opensearch-cluster.js';
import { configProblems } from '../support/config.js';
import { type ExternalOpenSearch, externalOpenSearchTarget } from '../../src/logs/opensearch/external-opensearch.js';
import { testCredentials } from '../support/credentials.js';
import { allObjects, helmReleaseValues, type K8sObject, ofKind, one, synthStack } from '../support/synth.js';

/** An OpenSearchCluster alone, in a setup chart and a main chart as ObservabilityChart arranges them. */
function synthCluster(props: Partial<OpenSearchClusterProps> = {}) {
  const app = Testing.app();
  const setup = new Chart(app, 'setup');
  const main = new Chart(app, 'main');
  main.addDependency(setup);
  const cluster = new OpenSearchCluster(main, 'opensearch', {
    delivery: createDelivery('flux'),
    setupScope: setup,
    credentials: testCredentials(),
    ...props,
  });
  return { cluster, setup: setup.toJson() as K8sObject[], main: main.toJson() as K8sObject[], objects: allObjects(app) };
}

const internalUsers = (objects: K8sObject[], cluster: OpenSearchCluster) =>
  parse(one(objects, 'Secret', cluster.securityConfigSecretName).stringData[INTERNAL_USERS_KEY]) as Record<string, any>;
const credentials = (objects: K8sObject[], name: string) => one(objects, 'Secret', name).stringData as { username: string; password: string };

describe('OpenSearchCluster: credentials without defaults', () => {
  // A real store: what is checked here is what it generates and how the library hashes it.
  const { cluster, objects } = synthCluster({ credentials: new MemoryCredentialStore() });

  it('hashes in the security config verify against the passwords in the credentials Secrets, and only against them', () => {
    const users = internalUsers(objects, cluster);
    const admin = credentials(objects, cluster.adminCredentialsSecretName);
    const dashboards = credentials(objects, cluster.dashboardsCredentialsSecretName);
    expect(admin.username).toBe('admin');
    expect(dashboards.username).toBe(DASHBOARDS_SERVER_USERNAME);
    expect(bcrypt.compareSync(admin.password, users[admin.username].hash)).toBe(true);
    expect(bcrypt.compareSync(dashboards.password, users[DASHBOARDS_SERVER_USERNAME].hash)).toBe(true);
    expect(bcrypt.compareSync('admin', users[admin.username].hash)).toBe(false);
    expect(bcrypt.compareSync(dashboards.password, users[admin.username].hash)).toBe(false);
  });

  it('replaces the demo users: only the admin (backend role admin) and the Dashboards server user exist', () => {
    const users = internalUsers(objects, cluster);
    expect(Object.keys(users).sort()).toEqual(['_meta', 'admin', 'kibanaserver']);
    expect(users._meta).toEqual({ type: 'internalusers', config_version: 2 });
    expect(users.admin.backend_roles).toEqual(['admin']);
    expect(users.kibanaserver.backend_roles).toBeUndefined();
  });

  it('generates distinct passwords of at least 12 characters when none are given', () => {
    const passwords = [cluster.adminCredentialsSecretName, cluster.dashboardsCredentialsSecretName, cluster.logWriterSecretName, cluster.logReaderSecretName].map(
      (name) => credentials(objects, name).password,
    );
    for (const password of passwords) expect(password.length).toBeGreaterThanOrEqual(12);
    expect(new Set(passwords).size).toBe(4);
  });

  it('uses the passwords and admin name it is given, and keeps generated ones in the credential store', () => {
    const store = new MemoryCredentialStore();
    const app = Testing.app();
    const chart = new Chart(app, 'main');
    const given = new OpenSearchCluster(chart, 'os', {
      delivery: createDelivery('flux'),
      credentials: store,
      users: { adminUsername: 'ops-admin', adminPassword: 'correct horse battery', dashboardsPassword: 'staple-dashboards-42' },
    });
    const out = chart.toJson() as K8sObject[];
    const admin = credentials(out, given.adminCredentialsSecretName);
    expect(admin).toEqual({ username: 'ops-admin', password: 'correct horse battery' });
    expect(bcrypt.compareSync('correct horse battery', internalUsers(out, given)['ops-admin'].hash)).toBe(true);
    expect(credentials(out, given.dashboardsCredentialsSecretName).password).toBe('staple-dashboards-42');
    // The generated ones come from the store: asking it again gives the same password.
    expect(store.getOrCreate('observability/logs/opensearch-log-writer-password')).toBe(credentials(out, given.logWriterSecretName).password);
  });

  it('wires the operator to the Secrets: admin credentials, security config, Dashboards credentials', () => {
    const spec = one(objects, 'OpenSearchCluster', cluster.clusterName).spec;
    expect(spec.security.config.adminCredentialsSecret.name).toBe(cluster.adminCredentialsSecretName);
    expect(spec.security.config.securityConfigSecret.name).toBe(cluster.securityConfigSecretName);
    expect(spec.dashboards.opensearchCredentialsSecret.name).toBe(cluster.dashboardsCredentialsSecretName);
  });

  it.each([
    [{ users: { adminPassword: 'short' } }, /users\.adminPassword: must be at least 12 characters long \(got 5\)/],
    [{ users: { dashboardsPassword: 'kibana' } }, /users\.dashboardsPassword: must be at least 12 characters long/],
    [{ users: { adminPassword: 'x'.repeat(73) } }, /users\.adminPassword: must be at most 72 bytes/],
    [{ users: { adminPassword: 'line one\nline two' } }, /users\.adminPassword: must not contain control characters/],
    [{ users: { adminPassword: 'same-password-123', dashboardsPassword: 'same-password-123' } }, /users\.dashboardsPassword: must differ/],
    [{ users: { adminUsername: 'admin user' } }, /users\.adminUsername: "admin user" is not allowed: must be an OpenSearch user name/],
    [{ users: { adminUsername: '-admin' } }, /users\.adminUsername: "-admin" is not allowed: must be an OpenSearch user name/],
    [{ users: { adminUsername: 'kibanaserver' } }, /users: the admin, Dashboards \(kibanaserver\), log writer and log reader must be four different users/],
    [{ users: { logWriterUsername: 'Fluent_Bit' } }, /users\.logWriterUsername: "Fluent_Bit" is not allowed: must be an object name/],
    [{ existingSecret: 'vault', users: { adminPassword: 'a-long-enough-password' } }, /existingSecret: cannot be combined with users\.adminPassword/],
  ])('rejects %j with an error naming the field', (props, message) => {
    expect(() => synthCluster(props as Partial<OpenSearchClusterProps>)).toThrow(message);
  });

  it('never echoes a rejected password in the error', () => {
    expect(() => synthCluster({ users: { adminPassword: 'hunter2' } })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
  });
});

describe('OpenSearchCluster: existingSecret keeps every secret out of the output', () => {
  const { cluster, objects } = synthCluster({ existingSecret: 'vault-logs' });

  it('emits no Secret and no hash; the operator and the users refer to the existing Secrets', () => {
    expect(ofKind(objects, 'Secret')).toEqual([]);
    expect(JSON.stringify(objects)).not.toMatch(/\$2[aby]\$/);
    const spec = one(objects, 'OpenSearchCluster', cluster.clusterName).spec;
    expect(spec.security.config.adminCredentialsSecret.name).toBe('vault-logs-admin-credentials');
    expect(spec.security.config.securityConfigSecret.name).toBe('vault-logs-security-config');
    expect(spec.dashboards.opensearchCredentialsSecret.name).toBe('vault-logs-dashboards-credentials');
    expect(one(objects, 'OpensearchUser', cluster.logWriterUsername).spec.passwordFrom.name).toBe('vault-logs-log-writer-credentials');
    expect(one(objects, 'OpensearchUser', cluster.logReaderUsername).spec.passwordFrom.name).toBe('vault-logs-log-reader-credentials');
  });

  it('in the whole stack (Grafana on an existing Secret too), no object carries a password', () => {
    const { objects: stack } = synthStack({ openSearch: { existingSecret: 'vault-logs' }, prometheusStack: { grafana: { existingSecret: 'grafana-admin' } } });
    const withPasswords = stack.filter((o) => o.kind === 'Secret' && Object.keys({ ...o.stringData, ...o.data }).some((k) => /password|internal_users/i.test(k)));
    expect(withPasswords.map((o) => o.metadata.name)).toEqual([]);
    expect(JSON.stringify(stack)).not.toMatch(/\$2[aby]\$/);
  });
});

describe('OpenSearchCluster: the cluster', () => {
  const { cluster, setup, main } = synthCluster();
  const spec = one(main, 'OpenSearchCluster', 'logs').spec;

  it('puts the operator chart and the Secrets in the setup scope, the custom resources in its own chart', () => {
    expect(new Set(setup.map((o) => o.kind))).toEqual(new Set(['Secret', 'HelmRepository', 'HelmRelease']));
    expect(ofKind(main, 'Secret')).toEqual([]);
    expect(new Set(main.map((o) => o.kind))).toEqual(
      new Set(['OpenSearchCluster', 'OpensearchRole', 'OpensearchUser', 'OpensearchIndexTemplate', 'OpenSearchISMPolicy', 'ConfigMap', 'Job', 'CronJob']),
    );
  });

  it('delivers the opensearch-operator 2.8.0 chart with requests and limits, restricted to its namespace', () => {
    const release = one(setup, 'HelmRelease', 'opensearch-operator');
    expect(release.spec.chart.spec).toMatchObject({ chart: 'opensearch-operator', version: '2.8.0' });
    const values = helmReleaseValues(setup, 'opensearch-operator');
    expect(values.manager.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(values.manager.resources.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(values.manager.watchNamespace).toBe('observability');
    expect(values.useRoleBindings).toBe(true);
    expect(values.kubeRbacProxy.enable).toBe(false);
  });

  it('sizes the node pool like the reference: 3 cluster-manager+data nodes, 30Gi, 2 CPU / 4Gi requests = limits, heap half the memory', () => {
    expect(spec.nodePools).toHaveLength(1);
    const pool = spec.nodePools[0];
    expect(pool).toMatchObject({ replicas: 3, diskSize: '30Gi', roles: ['cluster_manager', 'data'], jvm: '-Xms2048M -Xmx2048M' });
    expect(pool.resources.requests).toEqual({ cpu: '2', memory: '4Gi' });
    expect(pool.resources.limits).toEqual(pool.resources.requests);
    expect(pool.persistence.pvc.accessModes).toEqual(['ReadWriteOnce']);
  });

  it('takes node sizes from props and derives the heap from the memory', () => {
    const sized = synthCluster({ nodes: { replicas: 5, memory: '16Gi', cpu: '4', diskSize: '200Gi', storageClass: 'gp3' } });
    const pool = one(sized.main, 'OpenSearchCluster', 'logs').spec.nodePools[0];
    expect(pool).toMatchObject({ replicas: 5, diskSize: '200Gi', jvm: '-Xms8192M -Xmx8192M', persistence: { pvc: { storageClass: 'gp3' } } });
    expect(pool.resources.limits).toEqual({ cpu: '4', memory: '16Gi' });
    expect(() => synthCluster({ nodes: { memory: '256Mi' } })).toThrow(/nodes\.memory: "256Mi" leaves less than 256M of heap/);
  });

  it('runs a current OpenSearch (and the same Dashboards) with TLS on transport and HTTP generated by the operator', () => {
    expect(spec.general.version).toMatch(/^(2\.19|3)\./);
    expect(spec.dashboards.version).toBe(spec.general.version);
    expect(spec.dashboards.enable).toBe(true);
    expect(spec.security.tls.transport.generate).toBe(true);
    expect(spec.security.tls.http.generate).toBe(true);
    expect(synthCluster({ version: '2.19.2' }).cluster.version).toBe('2.19.2');
  });

  it('gives every container it configures requests and limits', () => {
    for (const path of [spec.nodePools[0].resources, spec.dashboards.resources, spec.bootstrap.resources, spec.initHelper.resources, spec.security.config.updateJob.resources]) {
      expect(Object.keys(path.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(path.limits).sort()).toEqual(['cpu', 'memory']);
    }
  });

  it('is a target other components ask for host, port, URL, CA and index pattern: names the operator really uses', () => {
    expect(cluster.host).toBe('logs.observability.svc');
    expect(spec.general.serviceName).toBe(cluster.clusterName); // the generated HTTP certificate names <cluster>.<ns>.svc
    expect(cluster.port).toBe(spec.general.httpPort);
    expect(cluster.url).toBe('https://logs.observability.svc:9200');
    expect(cluster.caSecret).toEqual({ name: 'logs-ca', key: 'ca.crt' });
    expect(cluster.logIndexPattern).toBe(LOG_INDEX_PATTERN);
    expect(cluster.adminCredentialsSecret).toEqual({ name: cluster.adminCredentialsSecretName });
  });
});

describe('OpenSearchCluster: least-privilege log users', () => {
  const { cluster, main } = synthCluster();

  it.each([
    ['writer', () => cluster.logWriterUsername, () => cluster.logWriterSecretName, LOG_WRITER_PERMISSIONS],
    ['reader', () => cluster.logReaderUsername, () => cluster.logReaderSecretName, LOG_READER_PERMISSIONS],
  ])('the log %s is an OpensearchUser with its own role on the log data streams only', (_, username, secret, permissions) => {
    const user = one(main, 'OpensearchUser', username());
    expect(user.spec.opensearchCluster).toEqual({ name: cluster.clusterName });
    expect(user.spec.passwordFrom).toEqual({ name: secret(), key: 'password' });
    expect(user.spec.opendistroSecurityRoles).toEqual([username()]);
    const role = one(main, 'OpensearchRole', username());
    expect(role.spec.clusterPermissions).toEqual([...permissions.cluster]);
    expect(role.spec.indexPermissions).toEqual([{ indexPatterns: [LOG_INDEX_PATTERN, LOG_BACKING_INDEX_PATTERN], allowedActions: [...permissions.index] }]);
    const granted = JSON.stringify(role.spec);
    for (const broad of ['all_access', '"*"', 'indices_all', 'cluster_all', 'manage', 'delete']) expect(granted).not.toContain(broad);
  });

  it('the writer may create documents but not read them; the reader may read but not write', () => {
    expect(LOG_WRITER_PERMISSIONS.index).not.toContain('read');
    expect(LOG_READER_PERMISSIONS.index.some((a) => /write|index|create/.test(a))).toBe(false);
  });
});

describe('OpenSearchCluster: retention and mappings', () => {
  const { main } = synthCluster({ retentionDays: 14 });
  const policy = one(main, 'OpenSearchISMPolicy', 'logs-log-retention').spec;
  const template = one(main, 'OpensearchIndexTemplate', 'logs-log-streams').spec;

  it('rolls log data streams over and deletes them the configured number of days after rollover', () => {
    const hot = policy.states.find((s: any) => s.name === policy.defaultState);
    expect(hot.actions.some((a: any) => a.rollover?.minIndexAge === '1d')).toBe(true);
    expect(hot.transitions).toEqual([{ stateName: 'delete', conditions: { minRolloverAge: '14d' } }]);
    const del = policy.states.find((s: any) => s.name === 'delete');
    expect(del.actions.some((a: any) => a.delete !== undefined)).toBe(true);
    expect(policy.ismTemplate.indexPatterns).toEqual([LOG_INDEX_PATTERN]);
    expect(one(synthCluster().main, 'OpenSearchISMPolicy', 'logs-log-retention').spec.states[0].transitions[0].conditions.minRolloverAge).toBe('7d');
  });

  it('rejects a retention that is not a whole number of days', () => {
    expect(() => synthCluster({ retentionDays: 0 })).toThrow(/retentionDays: 0 is not allowed/);
    expect(() => synthCluster({ retentionDays: 1.5 })).toThrow(/retentionDays: 1.5 is not allowed/);
  });

  it('makes every logs-* index a data stream on @timestamp, mapping the Kubernetes and Ray fields the dashboards query', () => {
    expect(template.indexPatterns).toEqual([LOG_INDEX_PATTERN]);
    expect(template.dataStream).toEqual({ timestamp_field: { name: LOG_FIELDS.timestamp } });
    const mapping = (path: string) => path.split('.').reduce((node: any, part, i, parts) => (i === parts.length - 1 ? node?.[part] : node?.[part]?.properties), template.template.mappings.properties);
    expect(mapping(LOG_FIELDS.timestamp)).toEqual({ type: 'date' });
    expect(mapping(LOG_FIELDS.message)).toEqual({ type: 'text' });
    for (const field of [LOG_FIELDS.namespace, LOG_FIELDS.pod, LOG_FIELDS.container, LOG_FIELDS.node, LOG_FIELDS.source, ...Object.values(RAY_LOG_FIELDS)]) {
      expect(mapping(field), field).toEqual({ type: 'keyword' });
    }
    const dynamic = template.template.mappings.dynamic_templates.map((t: any) => Object.values(t)[0]);
    expect(dynamic).toContainEqual(expect.objectContaining({ path_match: `${LOG_FIELDS.labels}.*`, mapping: expect.objectContaining({ type: 'keyword' }) }));
  });
});

describe('OpenSearchCluster in the stack: Grafana datasource', () => {
  const { chart, objects } = synthStack();
  const cluster = chart.openSearch!;
  const grafana = chart.prometheusStack!;

  it('provisions the OpenSearch datasource as a labelled Secret with a stable uid, pointing at the cluster', () => {
    const secret = one(objects, 'Secret', chart.openSearchDatasource!.secretName);
    expect(secret.metadata.labels).toMatchObject(grafana.datasourceLabels);
    expect(secret.metadata.namespace).toBe(grafana.prometheusNamespace);
    const [ds] = parse(secret.stringData[OPENSEARCH_DATASOURCE_FILE]).datasources;
    expect(ds).toMatchObject({ uid: OPENSEARCH_LOGS_DATASOURCE_UID, type: OPENSEARCH_DATASOURCE_PLUGIN, url: cluster.url });
    expect(ds.jsonData).toMatchObject({ database: cluster.logIndexPattern, timeField: LOG_FIELDS.timestamp, logMessageField: LOG_FIELDS.message, tlsAuthWithCACert: true });
    expect(ds.basicAuthUser).toBe(`$${GRAFANA_OPENSEARCH_ENV.username}`);
    expect(ds.secureJsonData).toEqual({ basicAuthPassword: `$${GRAFANA_OPENSEARCH_ENV.password}`, tlsCACert: `$${GRAFANA_OPENSEARCH_ENV.caCert}` });
  });

  it("gives Grafana the log reader's credentials and only the CA certificate, from their Secrets", () => {
    const env = helmReleaseValues(objects, grafana.releaseName).grafana.envValueFrom;
    expect(env[GRAFANA_OPENSEARCH_ENV.username].secretKeyRef).toEqual({ name: cluster.logReaderSecretName, key: 'username' });
    expect(env[GRAFANA_OPENSEARCH_ENV.password].secretKeyRef).toEqual({ name: cluster.logReaderSecretName, key: 'password' });
    expect(env[GRAFANA_OPENSEARCH_ENV.caCert].secretKeyRef).toMatchObject({ name: cluster.caSecret.name, key: 'ca.crt' });
  });
});

describe('an external OpenSearch: the Grafana datasource carries its version (issue 11 item 4)', () => {
  it('writes opensearch.external.version as jsonData.version, as the plugin backend requires', async () => {
    const { configToProps } = await import('../../src/config/config-schema.js');
    const props = configToProps(parseConfig('opensearch:\n  enabled: false\n  external:\n    host: search.example.com\n    version: 2.19.2\n    writerCredentialsSecret: w\n'));
    const { delivery: _helm, ...rest } = props;
    const { chart, objects } = synthStack(rest);
    const [ds] = parse(one(objects, 'Secret', chart.openSearchDatasource!.secretName).stringData[OPENSEARCH_DATASOURCE_FILE]).datasources;
    expect(ds.jsonData.version).toBe('2.19.2');
    expect(ds.jsonData.flavor).toBe('opensearch');
  });

  it("writes the bundled cluster's own version", () => {
    const { chart, objects } = synthStack({ openSearch: { version: '2.19.2' } });
    const [ds] = parse(one(objects, 'Secret', chart.openSearchDatasource!.secretName).stringData[OPENSEARCH_DATASOURCE_FILE]).datasources;
    expect(ds.jsonData.version).toBe('2.19.2');
  });

  it('rejects a missing or malformed version in TypeScript too, naming the prop', () => {
    const target = externalOpenSearchTarget({ host: 'search.example.com' });
    const external = { target, writerCredentialsSecret: 'w' } as unknown as ExternalOpenSearch;
    expect(() => synthStack({ openSearch: { enabled: false }, externalOpenSearch: external })).toThrow(/externalOpenSearch\.version: is required/);
    expect(() => synthStack({ openSearch: { enabled: false }, externalOpenSearch: { ...external, version: 'latest' } })).toThrow(/externalOpenSearch\.version: "latest" is not allowed: must be a version/);
  });
});

describe('the config file: opensearch keys', () => {
  it('maps credentials, retention and existingSecret onto the props', async () => {
    const { configToProps } = await import('../../src/config/config-schema.js');
    const props = configToProps(
      parseConfig('opensearch:\n  retentionDays: 30\n  credentials:\n    adminUsername: root\n    adminPassword: a-very-long-pass\n    dashboardUserPassword: another-long-one\n'),
    );
    expect(props.openSearch).toMatchObject({ retentionDays: 30, users: { adminUsername: 'root', adminPassword: 'a-very-long-pass', dashboardsPassword: 'another-long-one' } });
  });

  it.each([
    ['opensearch:\n  credentials:\n    adminPassword: short\n', 'opensearch.credentials.adminPassword', /at least 12 characters/],
    ['opensearch:\n  credentials:\n    dashboardUserPassword: kibana\n', 'opensearch.credentials.dashboardUserPassword', /at least 12 characters/],
    ['opensearch:\n  credentials:\n    adminUsername: "a b"\n', 'opensearch.credentials.adminUsername', /letters, digits/],
    ['opensearch:\n  existingSecret: vault\n  credentials:\n    adminPassword: a-very-long-pass\n', 'opensearch.existingSecret', /cannot be combined/],
    ['opensearch:\n  retentionDays: 0\n', 'opensearch.retentionDays', /0 is not allowed: must be a whole number from 1 to 3650/],
    ['opensearch:\n  enabled: false\n', 'fluentbit.enabled', /needs somewhere to send the logs/],
    ['opensearch:\n  external:\n    host: search.example.com\n    version: 3.1.0\n    writerCredentialsSecret: w\n', 'opensearch.external', /is used only when opensearch.enabled is false/],
    ['opensearch:\n  enabled: false\n  external:\n    host: search.example.com\n', 'opensearch.external.writerCredentialsSecret', /is required: give a string/],
    // Grafana's datasource refuses every query without jsonData.version (issue 11 item 4).
    ['opensearch:\n  enabled: false\n  external:\n    host: search.example.com\n    writerCredentialsSecret: w\n', 'opensearch.external.version', /is required: give a string/],
    ['opensearch:\n  enabled: false\n  external:\n    host: search.example.com\n    version: "2.19"\n    writerCredentialsSecret: w\n', 'opensearch.external.version', /must be a version such as 3\.1\.0 or 2\.19\.2/],
  ])('rejects %j naming %s', (text, path, message) => {
    const issues = configProblems(text);
    expect(issues).toContainEqual(expect.stringMatching(new RegExp(`^${path.replaceAll('.', '\\.')}: .*${message.source}`)));
    expect(JSON.stringify(issues)).not.toContain('short');
  });
});
