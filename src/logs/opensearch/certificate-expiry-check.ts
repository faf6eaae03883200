import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { addCheckCronJob } from './check-cron-job.js';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../core/security.js';

/**
 * The certificate check: every `*.crt` mounted under `/certs/<secret>/` must stay valid for `MIN_DAYS_LEFT` more days;
 * it prints each certificate's expiry and exits 1 when one is closer (or unreadable, or none is found). It reads
 * certificates with `keytool` (the JDK bundled in the OpenSearch image, on its PATH) and `date`, and needs neither
 * the network nor any private key.
 */
export const CERTIFICATE_CHECK_SCRIPT = String.raw`#!/bin/bash
# aiml-observability: OpenSearch certificate expiry check (docs/logs.md, "Certificates").
# (No brace expansions in this script: it is kept in a TypeScript template string.)
set -o pipefail
DAYS=$(printenv MIN_DAYS_LEFT || echo 30)
ROOT=$(printenv CERTS_DIR || echo /certs)
NOW=$(date +%s)
LIMIT=$((NOW + DAYS * 86400))
FAILED=0
SEEN=0
problem() { echo "PROBLEM: $*" >&2; FAILED=1; }
for file in "$ROOT"/*/*.crt; do
  [ -e "$file" ] || continue
  SEEN=$((SEEN + 1))
  line=$(keytool -J-Xmx32m -printcert -file "$file" 2>&1 | grep -m1 'until: ')
  if [ -z "$line" ]; then problem "$file: not a certificate keytool can read"; continue; fi
  until=$(printf '%s' "$line" | sed 's/.*until: //')
  expires=$(date -d "$until" +%s) || { problem "$file: cannot read the date '$until'"; continue; }
  left=$(((expires - NOW) / 86400))
  if [ "$expires" -lt "$LIMIT" ]; then problem "$file expires in $left days ($until): renew it (docs/logs.md, Certificates)"
  else echo "ok: $file expires in $left days ($until)"; fi
done
[ "$SEEN" -gt 0 ] || problem "no certificate under $ROOT"
exit "$FAILED"
`;

/** What {@link CertificateExpiryCheck} uses for props left out. */
export const CERTIFICATE_EXPIRY_CHECK_DEFAULTS = { schedule: '17 */6 * * *', minDaysLeft: 30 } as const;

/** A Secret holding certificates, and the keys of those certificates (never the keys of private keys). */
export interface CertificateSecret {
  readonly name: string;
  readonly certificateKeys: readonly string[];
}

/** Props of {@link CertificateExpiryCheck}. */
export interface CertificateExpiryCheckProps {
  readonly namespace: string;
  /** Name of the CronJob (and prefix of its ConfigMap). */
  readonly name: string;
  /** Image with bash, keytool and date: the cluster's OpenSearch image. */
  readonly image: string;
  /** The Secrets to check; a missing Secret or key is skipped (the operator creates them only once the cluster runs). */
  readonly secrets: readonly CertificateSecret[];
  /** @default {@link CERTIFICATE_EXPIRY_CHECK_DEFAULTS}.minDaysLeft */
  readonly minDaysLeft?: number;
  /** @default {@link CERTIFICATE_EXPIRY_CHECK_DEFAULTS}.schedule (every 6 hours) */
  readonly schedule?: string;
}

/**
 * A CronJob that fails while a certificate of the given Secrets expires within `minDaysLeft` days: the expiry alert
 * for certificates nothing renews (the operator generates OpenSearch's node, HTTP and Dashboards certificates for a
 * year, only when their Secret is missing, and checks the expiry of its admin certificate alone). kube-state-metrics
 * turns its runs into `kube_cronjob_status_last_successful_time`, which the alert watches. It mounts only
 * certificates (Secret items), runs under the restricted profile, with no service account token and no network use.
 */
export class CertificateExpiryCheck extends Construct {
  /** Name of the CronJob. */
  public readonly cronJobName: string;
  /** Labels of its pods. */
  public readonly podLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: CertificateExpiryCheckProps) {
    super(scope, id);
    this.cronJobName = props.name;
    this.podLabels = { 'app.kubernetes.io/name': 'certificate-expiry-check', 'app.kubernetes.io/instance': props.name, 'app.kubernetes.io/part-of': 'aiml-observability' };
    const scriptName = `${props.name}-script`;
    new k8s.KubeConfigMap(this, 'script', { metadata: { name: scriptName, namespace: props.namespace }, data: { 'check-certificates.sh': CERTIFICATE_CHECK_SCRIPT } });

    const volumes: k8s.Volume[] = [
      { name: 'script', configMap: { name: scriptName } },
      { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } },
      ...props.secrets.map((secret, i) => ({
        name: `certs-${i}`,
        secret: { secretName: secret.name, optional: true, items: secret.certificateKeys.map((key) => ({ key, path: key })) },
      })),
    ];
    addCheckCronJob(this, 'cron-job', {
      name: this.cronJobName,
      namespace: props.namespace,
      labels: this.podLabels,
      schedule: props.schedule ?? CERTIFICATE_EXPIRY_CHECK_DEFAULTS.schedule,
      startingDeadlineSeconds: 3600,
      template: {
      metadata: { labels: { ...this.podLabels } },
      spec: {
        restartPolicy: 'Never',
        automountServiceAccountToken: false,
        securityContext: restrictedPodSecurityContext(1000) as k8s.PodSecurityContext,
        containers: [
          {
            name: 'check',
            image: props.image,
            imagePullPolicy: 'IfNotPresent',
            command: ['/bin/bash', '/scripts/check-certificates.sh'],
            env: [
              { name: 'MIN_DAYS_LEFT', value: String(props.minDaysLeft ?? CERTIFICATE_EXPIRY_CHECK_DEFAULTS.minDaysLeft) },
              { name: 'CERTS_DIR', value: '/certs' },
            ],
            resources: {
              requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('128Mi') },
              limits: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('256Mi') },
            },
            securityContext: restrictedContainerSecurityContext() as k8s.SecurityContext,
            volumeMounts: [
              { name: 'script', mountPath: '/scripts', readOnly: true },
              { name: 'tmp', mountPath: '/tmp' },
              ...props.secrets.map((secret, i) => ({ name: `certs-${i}`, mountPath: `/certs/${secret.name}`, readOnly: true })),
            ],
          },
        ],
        volumes,
      },
      },
    });
  }
}
