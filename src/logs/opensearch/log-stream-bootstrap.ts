import { createHash } from 'node:crypto';
import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { addCheckCronJob } from './check-cron-job.js';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../core/security.js';

/**
 * The script of the bootstrap Job and the check CronJob (bash and curl, both in the OpenSearch image: the operator's
 * own securityconfig-update job runs them there, opensearch-k8s-operator 2.8.0 `pkg/reconcilers/securityconfig.go`).
 *
 * `bootstrap` waits for the cluster, for the index template and the ISM policy (applied by the operator's
 * OpensearchIndexTemplate and OpenSearchISMPolicy controllers), then makes the state below true; `check` makes it
 * true once, without waiting, and exits 1 while it is not:
 * - every log data stream exists and is a data stream (a plain index of that name is reported, never deleted);
 * - every backing index of those streams is managed by an ISM policy (an unmanaged one gets the log policy: ISM
 *   attaches a policy by its ISM template only to indices created after the policy, so indices created before it
 *   stay unmanaged otherwise);
 * - no plain (non-data-stream) index matches the log index pattern.
 *
 * Idempotent: it only creates what is missing and attaches the policy only where none is. The admin's credentials come
 * from the environment (a Secret) and reach curl on stdin, never in a command line.
 */
export const LOG_STREAM_SCRIPT = String.raw`#!/bin/bash
# aiml-observability: the log data streams and their ISM policy (docs/logs.md, "Order of the first install").
set -o pipefail
# (No brace expansions in this script: it is kept in a TypeScript template string.)
MODE=$1
for name in OPENSEARCH_URL OPENSEARCH_USERNAME OPENSEARCH_PASSWORD TEMPLATE_NAME POLICY_ID DATA_STREAMS INDEX_PATTERN; do
  [ -n "$(printenv "$name")" ] || { echo "$name is not set" >&2; exit 2; }
done
case "$MODE" in bootstrap|check) ;; *) echo "usage: log-streams.sh bootstrap|check" >&2; exit 2 ;; esac
CA=$(printenv OPENSEARCH_CA_FILE || echo /opensearch-ca/ca.crt)
PAUSE=$(printenv WAIT_SECONDS || echo 10)
BODY=$(mktemp) || exit 2
FAILED=0

# curl's config syntax: backslash and double quote escaped inside double quotes.
quote() { printf '%s' "$1" | sed 's/[\\"]/\\&/g'; }
# api METHOD PATH [JSON]: prints the HTTP status (000 when unreachable) and leaves the body in $BODY.
api() {
  printf 'user = "%s:%s"\n' "$(quote "$OPENSEARCH_USERNAME")" "$(quote "$OPENSEARCH_PASSWORD")" |
    curl --silent --show-error --max-time 60 --config - --cacert "$CA" -X "$1" -o "$BODY" -w '%{http_code}' \
      -H 'Content-Type: application/json' --data-binary "$3" "$OPENSEARCH_URL$2" 2>/dev/null
  return 0
}
problem() { echo "PROBLEM: $*" >&2; FAILED=1; }
# await DESCRIPTION COMMAND...: bootstrap waits until COMMAND succeeds; check tries once.
await() {
  local what=$1; shift
  until "$@"; do
    if [ "$MODE" != bootstrap ]; then problem "not yet: $what"; return 1; fi
    echo "waiting: $what"; sleep "$PAUSE"
  done
}
cluster_up() { [ "$(api GET '/_cluster/health?wait_for_status=yellow&timeout=20s')" = 200 ]; }
template_applied() { [ "$(api GET "/_index_template/$TEMPLATE_NAME")" = 200 ]; }
policy_applied() { [ "$(api GET "/_plugins/_ism/policies/$POLICY_ID")" = 200 ]; }
names() { grep -o "\"$1\" *: *\"[^\"]*\"" "$BODY" | sed 's/.*"\([^"]*\)"$/\1/'; }

await "OpenSearch at $OPENSEARCH_URL answers with status yellow or green" cluster_up || exit 1
await "index template $TEMPLATE_NAME exists (the operator's OpensearchIndexTemplate)" template_applied || exit 1
await "ISM policy $POLICY_ID exists (the operator's OpenSearchISMPolicy)" policy_applied || exit 1

manage() { # INDEX: attaches the log policy unless a policy manages it already
  api GET "/_plugins/_ism/explain/$1" >/dev/null
  if grep -q '"index.plugins.index_state_management.policy_id" *: *"' "$BODY"; then return 0; fi
  local status
  status=$(api POST "/_plugins/_ism/add/$1" "{\"policy_id\":\"$POLICY_ID\"}")
  if [ "$status" = 200 ] && grep -q '"updated_indices" *: *1' "$BODY"; then echo "attached ISM policy $POLICY_ID to $1"
  else problem "$1 is not managed by ISM; attaching $POLICY_ID answered $status: $(cat "$BODY")"; fi
}

for stream in $DATA_STREAMS; do
  status=$(api GET "/_data_stream/$stream")
  if [ "$status" = 404 ]; then
    if [ "$(api GET "/$stream")" = 200 ]; then
      problem "$stream is a plain index, not a data stream: it never rolls over and ISM cannot delete it by age. Reindex what you need elsewhere and delete it; the next run creates the data stream."
      continue
    fi
    status=$(api PUT "/_data_stream/$stream")
    if [ "$status" != 200 ]; then problem "creating data stream $stream answered $status: $(cat "$BODY")"; continue; fi
    echo "created data stream $stream"
    status=$(api GET "/_data_stream/$stream")
  fi
  if [ "$status" != 200 ]; then problem "reading data stream $stream answered $status: $(cat "$BODY")"; continue; fi
  for index in $(names index_name); do manage "$index"; done
done

# Plain indices under the pattern (the backing indices of data streams are hidden, named .ds-...).
if [ "$(api GET "/_cat/indices/$INDEX_PATTERN?h=index&format=json&expand_wildcards=open")" = 200 ]; then
  for index in $(names index | grep -v '^\.ds-'); do
    problem "$index matches $INDEX_PATTERN but is a plain index: no data stream, no rollover. Reindex what you need and delete it."
  done
else
  problem "listing indices $INDEX_PATTERN failed: $(cat "$BODY")"
fi

if [ "$FAILED" = 0 ]; then echo "ok: data streams $DATA_STREAMS exist, every backing index is managed by ISM"; fi
exit "$FAILED"
`;

/** What {@link LogStreamBootstrap} uses for props left out. */
export const LOG_STREAM_BOOTSTRAP_DEFAULTS = {
  /** Every 30 minutes. */
  checkSchedule: '*/30 * * * *',
  /** A finished bootstrap Job is deleted after a day (a later `kubectl apply` re-creates and re-runs it, harmlessly). */
  ttlSecondsAfterFinished: 86400,
  /** How long the bootstrap Job waits for the cluster and the operator before it fails (the check CronJob goes on). */
  activeDeadlineSeconds: 3600,
} as const;

/** Props of {@link LogStreamBootstrap}. */
export interface LogStreamBootstrapProps {
  /** Namespace of the OpenSearch cluster. */
  readonly namespace: string;
  /** Name of the OpenSearchCluster; prefixes the Job, CronJob and ConfigMap. */
  readonly clusterName: string;
  /** `https://host:port` of the cluster. */
  readonly url: string;
  /** Secret with the cluster's CA certificate, and its key. */
  readonly caSecret: { readonly name: string; readonly key: string };
  /** Secret with the admin's `username` and `password`. */
  readonly adminCredentialsSecret: string;
  /** Image with bash and curl: the cluster's own OpenSearch image (already on the nodes, pinned by version). */
  readonly image: string;
  /** Name of the index template of the log data streams (created by the operator). */
  readonly templateName: string;
  /** Id of the ISM policy of the log data streams (created by the operator). */
  readonly policyId: string;
  /** The data streams to create, e.g. `logs-container`. */
  readonly dataStreams: readonly string[];
  /** Index pattern the log indices match (`logs-*`): no plain index may match it. */
  readonly indexPattern: string;
  /**
   * Schedule of the check CronJob.
   * @default {@link LOG_STREAM_BOOTSTRAP_DEFAULTS}.checkSchedule
   */
  readonly checkSchedule?: string;
}

/**
 * Makes the order of the first install not matter. The log writer may not create indices or data streams (a bulk
 * write to a missing index is authorised as `indices:admin/create`, and before the index template exists it makes
 * a plain index that never becomes a data stream); this Job, as the admin, waits for the cluster and for the
 * operator's index template and ISM policy, then creates the data streams, so their first backing indices are born
 * under the policy's ISM template. Until then Fluent Bit's writes fail (403) and wait in its buffer.
 *
 * A CronJob runs the same script in `check` mode: it attaches the policy to any backing index left unmanaged (ISM
 * attaches policies by template only to indices created after the policy) and fails while a data stream is missing,
 * a backing index stays unmanaged or a plain index matches the pattern; the alert `OpenSearchLogIndicesUnmanaged`
 * watches its last success (kube-state-metrics).
 *
 * Both run with the restricted pod security profile, requests and limits, no service account token, the admin
 * credentials from their Secret.
 */
export class LogStreamBootstrap extends Construct {
  /** Name of the bootstrap Job (it carries a hash of its pod template: a changed template is a new Job). */
  public readonly jobName: string;
  /** Name of the check CronJob. */
  public readonly checkCronJobName: string;
  /** Name of the ConfigMap holding the script. */
  public readonly scriptConfigMapName: string;
  /** Labels of the Job's and the CronJob's pods (for NetworkPolicies: they talk to OpenSearch's HTTP port only). */
  public readonly podLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: LogStreamBootstrapProps) {
    super(scope, id);
    this.scriptConfigMapName = `${props.clusterName}-log-streams-script`;
    this.checkCronJobName = `${props.clusterName}-log-streams-check`;
    this.podLabels = { 'app.kubernetes.io/name': 'opensearch-log-streams', 'app.kubernetes.io/instance': props.clusterName, 'app.kubernetes.io/part-of': 'aiml-observability' };

    new k8s.KubeConfigMap(this, 'script', {
      metadata: { name: this.scriptConfigMapName, namespace: props.namespace },
      data: { 'log-streams.sh': LOG_STREAM_SCRIPT },
    });

    const pod = (mode: 'bootstrap' | 'check'): k8s.PodTemplateSpec => ({
      metadata: { labels: { ...this.podLabels } },
      spec: {
        restartPolicy: 'Never',
        automountServiceAccountToken: false,
        // The OpenSearch image's user (uid 1000).
        securityContext: restrictedPodSecurityContext(1000) as k8s.PodSecurityContext,
        containers: [
          {
            name: mode,
            image: props.image,
            imagePullPolicy: 'IfNotPresent',
            command: ['/bin/bash', '/scripts/log-streams.sh', mode],
            env: [
              { name: 'OPENSEARCH_URL', value: props.url },
              { name: 'OPENSEARCH_USERNAME', valueFrom: { secretKeyRef: { name: props.adminCredentialsSecret, key: 'username' } } },
              { name: 'OPENSEARCH_PASSWORD', valueFrom: { secretKeyRef: { name: props.adminCredentialsSecret, key: 'password' } } },
              { name: 'TEMPLATE_NAME', value: props.templateName },
              { name: 'POLICY_ID', value: props.policyId },
              { name: 'DATA_STREAMS', value: props.dataStreams.join(' ') },
              { name: 'INDEX_PATTERN', value: props.indexPattern },
            ],
            resources: {
              requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('32Mi') },
              limits: { cpu: k8s.Quantity.fromString('200m'), memory: k8s.Quantity.fromString('64Mi') },
            },
            securityContext: restrictedContainerSecurityContext() as k8s.SecurityContext,
            volumeMounts: [
              { name: 'script', mountPath: '/scripts', readOnly: true },
              { name: 'ca', mountPath: '/opensearch-ca', readOnly: true },
              { name: 'tmp', mountPath: '/tmp' },
            ],
          },
        ],
        volumes: [
          { name: 'script', configMap: { name: this.scriptConfigMapName } },
          // Only the CA certificate, never the CA key beside it.
          { name: 'ca', secret: { secretName: props.caSecret.name, items: [{ key: props.caSecret.key, path: 'ca.crt' }] } },
          { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } },
        ],
      },
    });

    const bootstrap = pod('bootstrap');
    const hash = createHash('sha256').update(JSON.stringify([bootstrap, LOG_STREAM_SCRIPT])).digest('hex').slice(0, 8);
    this.jobName = `${props.clusterName}-log-streams-${hash}`;
    new k8s.KubeJob(this, 'bootstrap', {
      metadata: { name: this.jobName, namespace: props.namespace, labels: { ...this.podLabels } },
      spec: {
        backoffLimit: 3,
        activeDeadlineSeconds: LOG_STREAM_BOOTSTRAP_DEFAULTS.activeDeadlineSeconds,
        ttlSecondsAfterFinished: LOG_STREAM_BOOTSTRAP_DEFAULTS.ttlSecondsAfterFinished,
        template: bootstrap,
      },
    });

    addCheckCronJob(this, 'check', {
      name: this.checkCronJobName,
      namespace: props.namespace,
      labels: this.podLabels,
      schedule: props.checkSchedule ?? LOG_STREAM_BOOTSTRAP_DEFAULTS.checkSchedule,
      startingDeadlineSeconds: 600,
      template: pod('check'),
    });
  }
}
