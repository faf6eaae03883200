/**
 * Issue 11 items 1, 2 and 6 in the synthesized objects: the log-stream bootstrap Job and check CronJob, the
 * certificates (cert-manager or the expiry check), the storage alerts, and least privilege through the roles mapping.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { DeliveryMode } from '../../src/core/chart-delivery.js';
import { LOG_BACKING_INDEX_PATTERN, LOG_INDEX_PATTERN, LOG_SOURCES, logDataStream } from '../../src/logs/log-fields.js';
import {
  CERTIFICATES_HOT_RELOAD_SETTING,
  INTERNAL_USERS_KEY,
  LOG_READER_PERMISSIONS,
  LOG_WRITER_PERMISSIONS,
  OPENSEARCH_IMAGE_REPOSITORY,
  type OpenSearchCluster,
  ROLES_MAPPING_KEY,
} from '../../src/logs/opensearch/opensearch-cluster.js';
import { CERTIFICATE_ALERT_DAYS, LOG_STORAGE_ALERTS, LOG_STORAGE_METRICS } from '../../src/logs/opensearch/log-storage-alerts.js';
import { configProblems } from '../support/config.js';
import { kubeValidate } from '../support/kube-validate.js';
import { promtool } from '../support/rule-files.js';
import { type K8sObject, ofKind, one, synthStack } from '../support/synth.js';

const CERT_MANAGER = { enabled: true, issuerName: 'corp-ca', issuerKind: 'ClusterIssuer' as const };

const stack = synthStack();
const os = stack.chart.openSearch!;
const objects = stack.objects;

/** The containers of a Job's or CronJob's pod. */
const podSpec = (o: K8sObject) => (o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec);

function expectRestricted(o: K8sObject) {
  const pod = podSpec(o);
  expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
  expect(pod.automountServiceAccountToken).toBe(false);
  for (const c of pod.containers) {
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(c.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.resources.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    // Pinned: the cluster's own OpenSearch image, at the cluster's exact version.
    expect(c.image).toBe(`${OPENSEARCH_IMAGE_REPOSITORY}:${os.version}`);
  }
}

describe('item 1: the data streams exist, under their policy, before any writer can write', () => {
  const job = one(objects, 'Job', os.logStreams.jobName);
  const cron = one(objects, 'CronJob', os.logStreams.checkCronJobName);

  it('the log writer can no longer create indices or data streams (a bulk write cannot auto-create logs-container)', () => {
    const role = one(objects, 'OpensearchRole', os.logWriterUsername).spec;
    const actions = role.indexPermissions.flatMap((p: any) => p.allowedActions);
    expect(actions).toEqual(['index']);
    for (const forbidden of ['create_index', 'indices:admin/create', 'indices:admin/data_stream/create', 'indices_all', 'manage', 'crud', 'write']) expect(actions).not.toContain(forbidden);
    expect(LOG_WRITER_PERMISSIONS.cluster).toEqual(['indices:data/write/bulk']);
  });

  it('a bootstrap Job, as the admin, creates exactly the data streams Fluent Bit writes, after the operator\'s template and policy', () => {
    const env = Object.fromEntries(podSpec(job).containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.DATA_STREAMS.split(' ')).toEqual(Object.values(LOG_SOURCES).map(logDataStream));
    // Fluent Bit's index is <prefix>$log_source: the same streams.
    const output = one(objects, 'ClusterOutput', `${stack.chart.fluentBit!.name}-opensearch`).spec.opensearch;
    for (const source of Object.values(LOG_SOURCES)) expect(output.index.replace('$log_source', source)).toBe(logDataStream(source));
    expect(env.TEMPLATE_NAME).toBe(one(objects, 'OpensearchIndexTemplate', os.lifecycle.templateName).spec.name);
    expect(env.POLICY_ID).toBe(one(objects, 'OpenSearchISMPolicy', os.lifecycle.policyId).spec.policyId);
    expect(env.INDEX_PATTERN).toBe(LOG_INDEX_PATTERN);
    expect(env.OPENSEARCH_URL).toBe(os.url);
    expect(podSpec(job).containers[0].command).toEqual(['/bin/bash', '/scripts/log-streams.sh', 'bootstrap']);
    expect(podSpec(cron).containers[0].command).toEqual(['/bin/bash', '/scripts/log-streams.sh', 'check']);
  });

  it('takes the admin credentials from their Secret, never as a value, and mounts only the CA certificate', () => {
    for (const o of [job, cron]) {
      const c = podSpec(o).containers[0];
      const byName = Object.fromEntries(c.env.map((e: any) => [e.name, e]));
      expect(byName.OPENSEARCH_USERNAME.valueFrom.secretKeyRef).toEqual({ name: os.adminCredentialsSecretName, key: 'username' });
      expect(byName.OPENSEARCH_PASSWORD.valueFrom.secretKeyRef).toEqual({ name: os.adminCredentialsSecretName, key: 'password' });
      const password = one(objects, 'Secret', os.adminCredentialsSecretName).stringData.password as string;
      expect(JSON.stringify(o)).not.toContain(password);
      expect(c.args).toBeUndefined();
      const ca = podSpec(o).volumes.find((v: any) => v.name === 'ca').secret;
      expect(ca).toEqual({ secretName: os.caSecret.name, items: [{ key: 'ca.crt', path: 'ca.crt' }] });
    }
  });

  it('runs restricted, with requests, limits and a TTL; the Job name changes with its pod template (Jobs are immutable)', () => {
    expectRestricted(job);
    expectRestricted(cron);
    expect(job.spec).toMatchObject({ ttlSecondsAfterFinished: 86400, backoffLimit: 3, activeDeadlineSeconds: 3600 });
    expect(podSpec(job).restartPolicy).toBe('Never');
    expect(cron.spec).toMatchObject({ schedule: '*/30 * * * *', concurrencyPolicy: 'Forbid' });
    expect(os.logStreams.jobName).toMatch(new RegExp(`^${os.clusterName}-log-streams-[0-9a-f]{8}$`));
    const other = synthStack({ openSearch: { version: '2.19.2' } }).chart.openSearch!;
    expect(other.logStreams.jobName).not.toBe(os.logStreams.jobName);
    expect(synthStack().chart.openSearch!.logStreams.jobName).toBe(os.logStreams.jobName); // deterministic
  });

  it('exposes the pods\' labels (for NetworkPolicies) and they select exactly the Job\'s and the CronJob\'s pods', () => {
    expect(os.logStreams.podLabels).toMatchObject({ 'app.kubernetes.io/instance': os.clusterName });
    for (const o of [job, cron]) expect(o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.metadata.labels : o.spec.template.metadata.labels).toEqual(os.logStreams.podLabels);
  });

  it('leaves the ISM policy to the operator without applyToExistingIndices (one failing index there would make the operator disown its policy)', () => {
    const policy = one(objects, 'OpenSearchISMPolicy', os.lifecycle.policyId).spec;
    expect(policy.applyToExistingIndices).toBeUndefined();
    expect(policy.ismTemplate.indexPatterns).toEqual([LOG_INDEX_PATTERN]);
  });
});

describe('item 6: no user we create can write logs-* except the writer, through its own role', () => {
  // The security plugin 3.1.0.0's static roles (src/main/resources/static_config/static_roles.yml) that a mapping
  // can grant our users: own_index gives indices_all on an index named like the user.
  const STATIC_ROLES: Record<string, Array<{ patterns: string[]; actions: string[] }>> = {
    own_index: [{ patterns: ['${user_name}'], actions: ['indices_all'] }],
    kibana_server: [
      { patterns: ['.kibana', '.opensearch_dashboards', '.kibana-6', '.opensearch_dashboards-6', '.kibana_*', '.opensearch_dashboards_*', '.tasks', '.management-beats*'], actions: ['indices_all'] },
      { patterns: ['*'], actions: ['indices:admin/aliases*'] },
    ],
  };
  const WRITE = /^(indices_all|crud|write|index|create_index|manage|\*|indices:data\/write\/.*|indices:admin\/create|indices:admin\/data_stream\/create)$/;
  const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`);

  /** Index patterns on which `user` may write, from the roles mapping, the internal users and the OpensearchRoles. */
  function writablePatterns(all: K8sObject[], cluster: OpenSearchCluster, user: string): string[] {
    const security = one(all, 'Secret', cluster.securityConfigSecretName).stringData;
    const mapping = parse(security[ROLES_MAPPING_KEY]) as Record<string, any>;
    const internal = (parse(security[INTERNAL_USERS_KEY]) as Record<string, any>)[user];
    const backendRoles: string[] = internal?.backend_roles ?? [];
    const roles = new Set<string>();
    for (const [role, m] of Object.entries(mapping)) {
      if (role === '_meta') continue;
      if ((m.users ?? []).some((u: string) => glob(u).test(user)) || (m.backend_roles ?? []).some((b: string) => backendRoles.includes(b))) roles.add(role);
    }
    const crUser = ofKind(all, 'OpensearchUser').find((u) => u.metadata.name === user);
    for (const role of crUser?.spec.opendistroSecurityRoles ?? []) roles.add(role);
    const permissions = [...roles].flatMap((role) => {
      const cr = ofKind(all, 'OpensearchRole').find((r) => r.metadata.name === role);
      if (cr) return cr.spec.indexPermissions.map((p: any) => ({ patterns: p.indexPatterns, actions: p.allowedActions }));
      return STATIC_ROLES[role] ?? [];
    });
    return permissions.filter((p) => p.actions.some((a: string) => WRITE.test(a))).flatMap((p) => p.patterns.map((x: string) => x.replace('${user_name}', user)));
  }
  /** Whether a pattern can name an index under logs-* (or its backing indices). */
  const reachesLogs = (pattern: string) => ['logs-x', 'logs-container', '.ds-logs-container-000001', ...[...pattern.matchAll(/[^*]+/g)].map((m) => m[0])].some((name) => glob(pattern).test(name) && (glob(LOG_INDEX_PATTERN).test(name) || glob(LOG_BACKING_INDEX_PATTERN).test(name)));

  it('ships a roles mapping without own_index: the admin backend role to all_access, the Dashboards user to kibana_server, nothing else', () => {
    const mapping = parse(one(objects, 'Secret', os.securityConfigSecretName).stringData[ROLES_MAPPING_KEY]);
    expect(Object.keys(mapping).sort()).toEqual(['_meta', 'all_access', 'kibana_server']);
    expect(mapping._meta).toEqual({ type: 'rolesmapping', config_version: 2 });
    expect(mapping.all_access.backend_roles).toEqual(['admin']);
    expect(mapping.all_access.users).toBeUndefined();
    expect(mapping.kibana_server.users).toEqual(['kibanaserver']);
  });

  it.each([
    ['the default names (logs-log-reader matches logs-*)', {}],
    ['user names chosen to match logs-*', { users: { logReaderUsername: 'logs-reader', logWriterUsername: 'logs-writer' } }],
  ])('with %s: the reader and the Dashboards user cannot write any log index; the writer only through its role', (_, props) => {
    const { chart, objects: all } = synthStack({ openSearch: props });
    const cluster = chart.openSearch!;
    expect(writablePatterns(all, cluster, cluster.logReaderUsername).filter(reachesLogs)).toEqual([]);
    expect(writablePatterns(all, cluster, 'kibanaserver').filter(reachesLogs)).toEqual([]);
    expect(writablePatterns(all, cluster, cluster.logWriterUsername).filter(reachesLogs)).toEqual([LOG_INDEX_PATTERN, LOG_BACKING_INDEX_PATTERN]);
    expect(LOG_READER_PERMISSIONS.index.filter((a) => WRITE.test(a))).toEqual([]);
  });

  it('the check itself can fail: with the image\'s default mapping (own_index for every user) the reader could write logs-log-reader', () => {
    const all = structuredClone(objects);
    const secret = one(all, 'Secret', os.securityConfigSecretName);
    const mapping = parse(secret.stringData[ROLES_MAPPING_KEY]);
    mapping.own_index = { reserved: false, users: ['*'] }; // security plugin 3.1.0.0 config/roles_mapping.yml
    secret.stringData[ROLES_MAPPING_KEY] = JSON.stringify(mapping);
    expect(writablePatterns(all, os, os.logReaderUsername).filter(reachesLogs)).toEqual(['logs-log-reader']);
  });
});

describe('item 2: certificates are renewed (cert-manager) or their expiry is checked and alerted', () => {
  const cm = synthStack({ openSearch: { certManager: CERT_MANAGER } });
  const cmOs = cm.chart.openSearch!;

  it('cert-manager: HTTP, transport, admin and Dashboards Certificates from the configured issuer, PKCS#8, renewed 45 days before a 90-day expiry', () => {
    const certs = ofKind(cm.objects, 'Certificate');
    expect(certs.map((c) => c.metadata.name).sort()).toEqual(['logs-admin', 'logs-dashboards', 'logs-http', 'logs-transport']);
    for (const c of certs) {
      expect(c.spec.issuerRef).toEqual({ name: 'corp-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' });
      expect(c.spec).toMatchObject({ duration: '2160h', renewBefore: '1080h', privateKey: { encoding: 'PKCS8', algorithm: 'RSA', rotationPolicy: 'Always' } });
    }
    const http = one(cm.objects, 'Certificate', 'logs-http').spec;
    // The host every client verifies is in the certificate.
    expect(http.dnsNames).toContain(cmOs.host);
    expect(http.secretName).toBe(cmOs.certificates!.httpSecretName);
    expect(one(cm.objects, 'Certificate', 'logs-transport').spec.usages).toEqual(expect.arrayContaining(['server auth', 'client auth']));
  });

  it('cert-manager: the cluster uses those Secrets, with the transport and admin DNs of those certificates, and reloads renewed files', () => {
    const spec = one(cm.objects, 'OpenSearchCluster', cmOs.clusterName).spec;
    const certs = cmOs.certificates!;
    expect(spec.security.tls).toEqual({
      transport: { generate: false, perNode: false, secret: { name: certs.transportSecretName }, nodesDn: [`CN=${cmOs.clusterName}-transport`], adminDn: [`CN=${cmOs.clusterName}-admin`] },
      http: { generate: false, secret: { name: certs.httpSecretName } },
    });
    expect(one(cm.objects, 'Certificate', 'logs-transport').spec.commonName).toBe(`${cmOs.clusterName}-transport`);
    expect(one(cm.objects, 'Certificate', 'logs-admin').spec.commonName).toBe(`${cmOs.clusterName}-admin`);
    expect(spec.security.config.adminSecret).toEqual({ name: certs.adminSecretName });
    expect(spec.dashboards.tls).toEqual({ enable: true, generate: false, secret: { name: certs.dashboardsSecretName } });
    // Beside the hot reload: no mmap, so OpenSearch runs under the restricted Pod Security level (docs/security.md).
    expect(spec.general.additionalConfig).toEqual({ 'node.store.allow_mmap': 'false', [CERTIFICATES_HOT_RELOAD_SETTING]: 'true' });
    // Fluent Bit, Grafana and the Jobs trust the issuer's CA from the HTTP certificate's Secret.
    expect(cmOs.caSecret).toEqual({ name: certs.httpSecretName, key: 'ca.crt' });
    const fb = one(cm.objects, 'FluentBit', cm.chart.fluentBit!.name).spec.volumes.find((v: any) => v.name === 'opensearch-ca').secret;
    expect(fb).toEqual({ secretName: certs.httpSecretName, items: [{ key: 'ca.crt', path: 'ca.crt' }] });
    expect(ofKind(cm.objects, 'CronJob').map((c) => c.metadata.name)).not.toContain(`${cmOs.clusterName}-certificate-check`);
  });

  it('cert-manager: the alert reads cert-manager\'s expiry metric for exactly those Certificates, 30 days ahead', () => {
    const rule = one(cm.objects, 'PrometheusRule', cm.chart.openSearchAlerts!.ruleName);
    const alert = rule.spec.groups[0].rules.find((r: any) => r.alert === LOG_STORAGE_ALERTS.CERTIFICATE_EXPIRES_SOON);
    expect(alert.expr).toBe(
      `min by (namespace, name, cluster) (${LOG_STORAGE_METRICS.CERT_MANAGER_EXPIRATION}{namespace="observability", name=~"logs-http|logs-transport|logs-admin|logs-dashboards"} > 0) - time() < ${CERTIFICATE_ALERT_DAYS * 86400}`,
    );
  });

  it('cert-manager: under promtool, a Certificate 20 days from expiry fires, one 60 days away, one not yet known (0) and another namespace\'s do not', () => {
    const rule = one(cm.objects, 'PrometheusRule', cm.chart.openSearchAlerts!.ruleName);
    const expr = rule.spec.groups[0].rules.find((r: any) => r.alert === LOG_STORAGE_ALERTS.CERTIFICATE_EXPIRES_SOON).expr as string;
    const dir = mkdtempSync(join(tmpdir(), 'cert-manager-alert-'));
    writeFileSync(join(dir, 'empty.yaml'), 'groups: []\n');
    // cert-manager v1.21.1 internal/collectors/certificate_collector.go: labels name, namespace, issuer_*; 0 while unknown.
    const series = (name: string, namespace: string, expiresAt: number) =>
      `      - series: 'certmanager_certificate_expiration_timestamp_seconds{name="${name}",namespace="${namespace}",issuer_name="corp-ca",issuer_kind="ClusterIssuer",issuer_group="cert-manager.io",job="cert-manager"}'\n        values: '${expiresAt}+0x10'\n`;
    const day = 86400;
    writeFileSync(
      join(dir, 'test.yaml'),
      `rule_files: [empty.yaml]\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n` +
        series('logs-http', 'observability', 20 * day) + series('logs-transport', 'observability', 60 * day) + series('logs-admin', 'observability', 0) + series('logs-http', 'other', 5 * day) +
        `    promql_expr_test:\n      - expr: ${JSON.stringify(expr)}\n        eval_time: 5m\n        exp_samples:\n          - labels: '{namespace="observability", name="logs-http"}'\n            value: ${20 * day - 300}\n`,
    );
    const result = promtool(['test', 'rules', 'test.yaml'], dir);
    expect(result.status, result.output).toBe(0);
  });

  it('operator certificates: a CronJob checks every certificate the operator made (certificates only, no key) and the alert watches it', () => {
    const cron = one(objects, 'CronJob', os.certificateCheck!.cronJobName);
    expectRestricted(cron);
    const volumes = podSpec(cron).volumes.filter((v: any) => v.secret).map((v: any) => [v.secret.secretName, v.secret.items.map((i: any) => i.key)]);
    expect(volumes).toEqual([
      ['logs-http-cert', ['tls.crt']],
      ['logs-transport-cert', ['logs-nodes-0.crt', 'logs-nodes-1.crt', 'logs-nodes-2.crt']],
      ['logs-admin-cert', ['tls.crt']],
      ['logs-dashboards-cert', ['tls.crt']],
      ['logs-ca', ['ca.crt']],
    ]);
    for (const [, keys] of volumes) for (const key of keys) expect(key).toMatch(/\.crt$/);
    expect(podSpec(cron).containers[0].env).toContainEqual({ name: 'MIN_DAYS_LEFT', value: String(CERTIFICATE_ALERT_DAYS) });
    const alert = one(objects, 'PrometheusRule', stack.chart.openSearchAlerts!.ruleName).spec.groups[0].rules.find((r: any) => r.alert === LOG_STORAGE_ALERTS.CERTIFICATE_EXPIRES_SOON);
    expect(alert.expr).toContain(`${LOG_STORAGE_METRICS.CRONJOB_LAST_SUCCESS}{namespace="observability", cronjob="${os.certificateCheck!.cronJobName}"}`);
    // Operator mode also reloads regenerated certificates (same CA, subject and SANs) without a restart.
    expect(one(objects, 'OpenSearchCluster', os.clusterName).spec.general.additionalConfig).toEqual({ 'node.store.allow_mmap': 'false', [CERTIFICATES_HOT_RELOAD_SETTING]: 'true' });
  });

  it('the documented rotation deletes exactly the certificate Secrets the check watches, except the CA it keeps (docs/logs.md)', () => {
    const docs = readFileSync(new URL('../../docs/logs.md', import.meta.url), 'utf8');
    const line = /^kubectl -n observability delete secret (.+)$/m.exec(docs);
    expect(line, 'docs/logs.md: the rotation command').not.toBeNull();
    const watched = podSpec(one(objects, 'CronJob', os.certificateCheck!.cronJobName)).volumes.filter((v: any) => v.secret).map((v: any) => v.secret.secretName);
    expect(line![1]!.split(' ')).toEqual(watched.filter((name: string) => name !== os.caSecret.name));
    // and the restart names the Dashboards Deployment of this cluster
    expect(docs).toContain(`rollout restart deployment ${os.dashboardsServiceName}`);
  });

  it('does not set the hot-reload setting for a version whose security plugin does not know it', () => {
    // Before 2.19 the setting does not exist, and OpenSearch refuses to start on an unknown setting.
    expect(one(synthStack({ openSearch: { version: '2.18.0' } }).objects, 'OpenSearchCluster', 'logs').spec.general.additionalConfig).toEqual({ 'node.store.allow_mmap': 'false' });
  });

  it.each<DeliveryMode>(['flux', 'argocd', 'external'])('%s delivery: the Certificates, Jobs and CronJobs pass strict schema validation', (delivery) => {
    const { objects: all } = synthStack({ delivery, openSearch: { certManager: CERT_MANAGER } });
    const result = kubeValidate(all);
    expect(result.invalid, result.output).toBe(0);
    expect(ofKind(all, 'Certificate')).toHaveLength(4);
  });

  it.each([
    ['opensearch:\n  certManager:\n    enabled: true\n', 'opensearch.certManager.issuerName', /is required when opensearch\.certManager\.enabled is true/],
    ['opensearch:\n  certManager:\n    enabled: true\n    issuerName: ca\n    issuerKind: Vault\n', 'opensearch.certManager.issuerKind', /Issuer|ClusterIssuer/],
  ])('rejects %j naming %s', (text, path, message) => {
    expect(configProblems(text)).toContainEqual(expect.stringMatching(new RegExp(`^${path.replaceAll('.', '\\.')}: .*${message.source}`)));
  });
});

describe('item 1: the storage alerts', () => {
  const group = one(objects, 'PrometheusRule', stack.chart.openSearchAlerts!.ruleName).spec.groups[0];
  const alert = (name: string) => group.rules.find((r: any) => r.alert === name);

  it('alert when the log-stream check has not passed for 90 minutes, including a check that never passed', () => {
    const sel = `{namespace="observability", cronjob="${os.logStreams.checkCronJobName}"}`;
    // Every by/on of a rule also keeps the cluster label (src/core/cluster-label.ts).
    expect(alert(LOG_STORAGE_ALERTS.INDICES_UNMANAGED).expr).toBe(
      `(time() - max by (namespace, cronjob, cluster) (${LOG_STORAGE_METRICS.CRONJOB_LAST_SUCCESS}${sel}) > 5400) or (time() - max by (namespace, cronjob, cluster) (${LOG_STORAGE_METRICS.CRONJOB_CREATED}${sel}) > 5400 unless on (namespace, cronjob, cluster) ${LOG_STORAGE_METRICS.CRONJOB_LAST_SUCCESS}${sel})`,
    );
  });

  it('alert on the OpenSearch data volumes past 80 %, the claims named as the operator names them', () => {
    const expr = alert(LOG_STORAGE_ALERTS.VOLUME_FILLING_UP).expr as string;
    expect(expr).toContain(`persistentvolumeclaim=~"data-logs-nodes-[0-9]+"`);
    expect(expr).toMatch(/\* 100 > 80$/);
    expect(new RegExp(`^${os.dataVolumeClaimRegex}$`).test('data-logs-nodes-2')).toBe(true);
    expect(new RegExp(`^${os.dataVolumeClaimRegex}$`).test('data-logs-dashboards-0')).toBe(false);
  });
});
