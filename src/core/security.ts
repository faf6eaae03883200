import { Capability, type ContainerSecurityContextProps, type PodSecurityContextProps, SeccompProfileType } from 'cdk8s-plus-30';

/**
 * Pod and container settings shared by every workload this library runs itself (not the upstream charts,
 * whose own values are set per chart). Restricted Pod Security Standard: non-root, no privilege escalation,
 * all capabilities dropped, RuntimeDefault seccomp, read-only root filesystem.
 */

/** Requests and limits of one container, in Kubernetes quantity strings. */
export interface ResourceSpec {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** Builds a {@link ResourceSpec}; limits default to the requests (Guaranteed QoS when both are given equal). */
export function resources(cpu: string, memory: string, limitCpu = cpu, limitMemory = memory): ResourceSpec {
  return { requests: { cpu, memory }, limits: { cpu: limitCpu, memory: limitMemory } };
}

/** Pod-level security context for the restricted profile. */
export function restrictedPodSecurityContext(uid = 65534): Record<string, unknown> {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level security context for the restricted profile. */
export function restrictedContainerSecurityContext(): Record<string, unknown> {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * {@link restrictedPodSecurityContext} for a cdk8s-plus pod, without the seccomp profile: cdk8s-plus sets that per
 * container only (see {@link restrictedContainerSecurityContextProps}).
 */
export function restrictedPodSecurityContextProps(uid = 65534): PodSecurityContextProps {
  return { ensureNonRoot: true, user: uid, group: uid, fsGroup: uid };
}

/** {@link restrictedContainerSecurityContext} for a cdk8s-plus container (which also states `privileged: false`). */
export function restrictedContainerSecurityContextProps(): ContainerSecurityContextProps {
  return {
    ensureNonRoot: true,
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: [Capability.ALL] },
    seccompProfile: { type: SeccompProfileType.RUNTIME_DEFAULT },
  };
}
