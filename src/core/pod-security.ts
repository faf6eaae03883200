import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';

/**
 * Pod Security Standards levels (https://kubernetes.io/docs/concepts/security/pod-security-standards/), from the
 * most to the least permissive. Pod Security Admission enforces the level a namespace's labels name.
 */
export const POD_SECURITY_LEVELS = ['privileged', 'baseline', 'restricted'] as const;

/** One of {@link POD_SECURITY_LEVELS}. */
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

/**
 * The version of the standards the namespaces pin (`pod-security.kubernetes.io/<mode>-version`): the one the
 * library's pod specs are checked against (Kubernetes 1.30), so a cluster upgrade that tightens a level does not
 * stop our pods without a release of ours that was checked against it.
 */
export const POD_SECURITY_VERSION = 'v1.30';

/** Prefix of the Pod Security Admission labels. */
const LABEL_PREFIX = 'pod-security.kubernetes.io';

/** Annotation that says why a namespace runs below `restricted`. */
export const POD_SECURITY_EXCEPTION_ANNOTATION = 'aiml-observability.io/pod-security-exception';

/**
 * The labels that make Pod Security Admission enforce `level` (pods that fail it are rejected), and audit and warn at
 * the same level, all pinned to {@link POD_SECURITY_VERSION}.
 */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ['enforce', 'audit', 'warn'] as const) {
    labels[`${LABEL_PREFIX}/${mode}`] = level;
    labels[`${LABEL_PREFIX}/${mode}-version`] = POD_SECURITY_VERSION;
  }
  return labels;
}

/** The less permissive of two levels' needs: a namespace holding both needs the more permissive level. */
export function mostPermissive(levels: readonly PodSecurityLevel[]): PodSecurityLevel {
  const index = Math.min(...levels.map((l) => POD_SECURITY_LEVELS.indexOf(l)), POD_SECURITY_LEVELS.length - 1);
  return POD_SECURITY_LEVELS[index]!;
}

/** Props of {@link PodSecurityNamespace}. */
export interface PodSecurityNamespaceProps {
  readonly name: string;
  /** The level Pod Security Admission enforces, audits and warns at. */
  readonly level: PodSecurityLevel;
  /**
   * Why the namespace needs a level below `restricted`: kept on the namespace as
   * {@link POD_SECURITY_EXCEPTION_ANNOTATION}. Required below `restricted`.
   */
  readonly exception?: string;
  /** Further labels of the namespace. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A namespace with the Pod Security Admission labels of one level, and the reason when that level is not `restricted`. */
export class PodSecurityNamespace extends Construct {
  public readonly name: string;
  public readonly level: PodSecurityLevel;

  constructor(scope: Construct, id: string, props: PodSecurityNamespaceProps) {
    super(scope, id);
    if (props.level !== 'restricted' && !props.exception) {
      throw new Error(`namespace ${props.name}: a level below restricted (${props.level}) needs the reason as 'exception'`);
    }
    this.name = props.name;
    this.level = props.level;
    new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: props.name,
        labels: { ...props.labels, ...podSecurityLabels(props.level) },
        ...(props.level !== 'restricted' ? { annotations: { [POD_SECURITY_EXCEPTION_ANNOTATION]: props.exception! } } : {}),
      },
    });
  }
}

/**
 * What a workload needs from its namespace's Pod Security level, when that is less than `restricted`: components
 * declare it, the chart gives the namespace the most permissive level its workloads need and records the reasons.
 */
export interface PodSecurityNeed {
  /** `Kind/name` of the workload (as the chart or operator names it). */
  readonly workload: string;
  readonly namespace: string;
  readonly level: PodSecurityLevel;
  /** What the workload does that `restricted` (or `baseline`) forbids, and why it must. */
  readonly reason: string;
}
