import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security.js';

/**
 * Image of the mirror's Job: the curl project's own image (Alpine: busybox `sh` and `base64`, and curl), pinned.
 * Runs as any user: it only reads the mounted Secrets.
 */
export const SECRET_MIRROR_IMAGE = 'curlimages/curl:8.11.1';

/** How often the mirror copies (a changed source, e.g. a renewed CA, reaches the copy within this time). */
export const SECRET_MIRROR_SCHEDULE = '*/5 * * * *';

/** Where the mirror's pod finds each Secret: `<MOUNT_ROOT>/<secret name>/<key>`. */
const MOUNT_ROOT = '/mirror';

/** One Secret to copy, with the keys to copy. */
export interface MirroredSecret {
  readonly name: string;
  readonly keys: readonly string[];
}

/** Props of {@link SecretMirror}. */
export interface SecretMirrorProps {
  /** Name of the CronJob, its ServiceAccount and its Role. */
  readonly name: string;
  /** Namespace of the Secrets (and of the CronJob, which mounts them). */
  readonly fromNamespace: string;
  /** Namespace the copies are written to. */
  readonly toNamespace: string;
  readonly secrets: readonly MirroredSecret[];
  /** Labels of the CronJob's pods and of the copies. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The shell script of the mirror: for each mounted Secret, the keys present are written to the Secret of the same
 * name in `$TO_NAMESPACE` by server-side apply (creating it the first time); a Secret not there yet (e.g. a CA the
 * OpenSearch operator has not generated) is skipped until the next run. Reads the API server address and
 * credentials from the pod's environment and ServiceAccount, overridable (`KUBE_API`, `SA_DIR`, `MIRROR_DIR`) for tests.
 */
export function secretMirrorScript(): string {
  return [
    'set -eu',
    'api="${KUBE_API:-https://kubernetes.default.svc}"',
    'sa="${SA_DIR:-/var/run/secrets/kubernetes.io/serviceaccount}"',
    `root="\${MIRROR_DIR:-${MOUNT_ROOT}}"`,
    'status=0',
    'for dir in "$root"/*/; do',
    '  [ -d "$dir" ] || continue',
    '  name=$(basename "$dir")',
    '  data=""',
    '  for file in "$dir"*; do',
    '    [ -f "$file" ] || continue',
    '    data="$data${data:+,}\\"$(basename "$file")\\":\\"$(base64 -w 0 < "$file")\\""',
    '  done',
    '  if [ -z "$data" ]; then echo "secret $name: not in the source namespace yet, skipped"; continue; fi',
    '  body="{\\"apiVersion\\":\\"v1\\",\\"kind\\":\\"Secret\\",\\"metadata\\":{\\"name\\":\\"$name\\",\\"labels\\":$COPY_LABELS},\\"type\\":\\"Opaque\\",\\"data\\":{$data}}"',
    // The answer holds the Secret on success: kept in a variable, printed only when it is the API server's refusal.
    '  if answer=$(curl -sS --fail-with-body --cacert "$sa/ca.crt" -H "Authorization: Bearer $(cat "$sa/token")" \\',
    '      -H "Content-Type: application/apply-patch+yaml" -X PATCH --data-binary "$body" \\',
    '      "$api/api/v1/namespaces/$TO_NAMESPACE/secrets/$name?fieldManager=aiml-observability-secret-mirror&force=true" 2>&1); then',
    '    echo "secret $name: copied to $TO_NAMESPACE"',
    '  else',
    '    echo "secret $name: copy to $TO_NAMESPACE failed: $answer"; status=1',
    '  fi',
    'done',
    'exit $status',
    '',
  ].join('\n');
}

/**
 * Copies Secrets to another namespace, every {@link SECRET_MIRROR_SCHEDULE}: Kubernetes has no cross-namespace
 * Secret reference, and a pod mounts Secrets of its own namespace only. Used so the node agents (a namespace of
 * their own, at the `privileged` Pod Security level) can use what lives with the stack (the OpenSearch CA the
 * operator generates, the log writer's credentials).
 *
 * The CronJob runs in the source namespace and mounts the Secrets (so it needs no right to read Secrets); its
 * ServiceAccount may only get, create and patch those names in the target namespace. Restricted pod, no ingress.
 */
export class SecretMirror extends Construct {
  constructor(scope: Construct, id: string, props: SecretMirrorProps) {
    super(scope, id);
    const { name, fromNamespace, toNamespace, secrets, labels } = props;
    const names = secrets.map((s) => s.name);
    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name, namespace: fromNamespace, labels: { ...labels } } });
    new k8s.KubeRole(this, 'role', {
      metadata: { name, namespace: toNamespace, labels: { ...labels } },
      // Server-side apply to a named URL is authorized as patch, and as create (for that name) when the Secret is new.
      rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: [...names], verbs: ['get', 'create', 'patch'] }],
    });
    new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata: { name, namespace: toNamespace, labels: { ...labels } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: fromNamespace }],
    });
    new k8s.KubeConfigMap(this, 'script', {
      metadata: { name: `${name}-script`, namespace: fromNamespace, labels: { ...labels } },
      data: { 'mirror.sh': secretMirrorScript() },
    });
    const volumeName = (i: number) => `secret-${i}`;
    new k8s.KubeCronJob(this, 'cron-job', {
      metadata: { name, namespace: fromNamespace, labels: { ...labels } },
      spec: {
        schedule: SECRET_MIRROR_SCHEDULE,
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 1,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 120,
            ttlSecondsAfterFinished: 3600,
            template: {
              metadata: { labels: { ...labels } },
              spec: {
                serviceAccountName: name,
                restartPolicy: 'Never',
                enableServiceLinks: false,
                securityContext: restrictedPodSecurityContext() as k8s.PodSecurityContext,
                containers: [
                  {
                    name: 'mirror',
                    image: SECRET_MIRROR_IMAGE,
                    command: ['/bin/sh', '/script/mirror.sh'],
                    env: [
                      { name: 'TO_NAMESPACE', value: toNamespace },
                      { name: 'COPY_LABELS', value: JSON.stringify(labels) },
                    ],
                    resources: {
                      requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('16Mi') },
                      limits: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('64Mi') },
                    },
                    securityContext: restrictedContainerSecurityContext() as k8s.SecurityContext,
                    volumeMounts: [
                      { name: 'script', mountPath: '/script', readOnly: true },
                      ...secrets.map((s, i) => ({ name: volumeName(i), mountPath: `${MOUNT_ROOT}/${s.name}`, readOnly: true })),
                    ],
                  },
                ],
                volumes: [
                  { name: 'script', configMap: { name: `${name}-script` } },
                  // Optional: a Secret not there yet is skipped, not a pod stuck in ContainerCreating.
                  ...secrets.map((s, i) => ({ name: volumeName(i), secret: { secretName: s.name, optional: true, items: s.keys.map((key) => ({ key, path: key })) } })),
                ],
              },
            },
          },
        },
      },
    });
  }
}
