/**
 * The Pod Security Standards checks, baseline and restricted, as Kubernetes 1.30 defines them
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/, the policy Pod Security Admission enforces
 * at `enforce-version: v1.30`): an evaluator over a pod spec (and its annotations), not a snapshot. Each check returns
 * what it forbids, in the words of the standard, so a failure says which control a pod breaks.
 *
 * Written for the tests from the published standard; it is not the admission plugin (k8s.io/pod-security-admission),
 * so a difference in an edge case the standard does not spell out is possible.
 */

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** A pod as Pod Security Admission reads it: its spec and metadata annotations. */
export interface CheckedPod {
  /** `Kind/name` of the workload (or the rendered pod) the spec comes from. */
  readonly name: string;
  readonly namespace: string;
  readonly spec: any;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Capabilities baseline allows a container to add. */
const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
/** The safe sysctls of 1.30 (ip_local_reserved_ports since 1.27; the tcp_keepalive/fin ones since 1.29). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
]);
/** SELinux types baseline allows. */
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
/** Volume types restricted allows. */
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

function containers(spec: any): { kind: string; c: any }[] {
  return [
    ...(spec.initContainers ?? []).map((c: any) => ({ kind: 'initContainer', c })),
    ...(spec.containers ?? []).map((c: any) => ({ kind: 'container', c })),
    ...(spec.ephemeralContainers ?? []).map((c: any) => ({ kind: 'ephemeralContainer', c })),
  ];
}

/** What the pod does that `baseline` forbids (empty: admitted). */
export function baselineViolations(pod: CheckedPod): string[] {
  const out: string[] = [];
  const spec = pod.spec;
  const psc = spec.securityContext ?? {};
  const all = containers(spec);
  const where = ({ kind, c }: { kind: string; c: any }) => `${kind} ${c.name}`;
  if (psc.windowsOptions?.hostProcess || all.some(({ c }) => c.securityContext?.windowsOptions?.hostProcess)) out.push('HostProcess: Windows host process');
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (spec[field]) out.push(`Host Namespaces: ${field}`);
  for (const x of all) if (x.c.securityContext?.privileged) out.push(`Privileged Containers: ${where(x)} is privileged`);
  for (const x of all) {
    const added = (x.c.securityContext?.capabilities?.add ?? []).filter((cap: string) => !BASELINE_CAPABILITIES.has(cap));
    if (added.length) out.push(`Capabilities: ${where(x)} adds ${added.join(', ')}`);
  }
  for (const v of spec.volumes ?? []) if (v.hostPath) out.push(`HostPath Volumes: ${v.name} (${v.hostPath.path})`);
  for (const x of all) for (const p of x.c.ports ?? []) if (p.hostPort) out.push(`Host Ports: ${where(x)} uses host port ${p.hostPort}`);
  for (const [key, value] of Object.entries(pod.annotations ?? {})) {
    if (key.startsWith('container.apparmor.security.beta.kubernetes.io/') && value !== 'runtime/default' && !value.startsWith('localhost/')) out.push(`AppArmor: ${key}=${value}`);
  }
  const appArmorOk = (sc: any) => !sc?.appArmorProfile || ['RuntimeDefault', 'Localhost'].includes(sc.appArmorProfile.type);
  if (!appArmorOk(psc) || all.some(({ c }) => !appArmorOk(c.securityContext))) out.push('AppArmor: an appArmorProfile other than RuntimeDefault or Localhost');
  const seLinuxOk = (o: any) => !o || (SELINUX_TYPES.has(o.type ?? '') && !o.user && !o.role);
  if (!seLinuxOk(psc.seLinuxOptions) || all.some(({ c }) => !seLinuxOk(c.securityContext?.seLinuxOptions))) out.push('SELinux: a custom SELinux type, user or role');
  for (const x of all) if ((x.c.securityContext?.procMount ?? 'Default') !== 'Default') out.push(`/proc Mount Type: ${where(x)}`);
  if (psc.seccompProfile?.type === 'Unconfined') out.push('Seccomp: the pod is Unconfined');
  for (const x of all) if (x.c.securityContext?.seccompProfile?.type === 'Unconfined') out.push(`Seccomp: ${where(x)} is Unconfined`);
  for (const s of psc.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) out.push(`Sysctls: ${s.name}`);
  return out;
}

/** What the pod does that `restricted` forbids (baseline's controls included; empty: admitted). */
export function restrictedViolations(pod: CheckedPod): string[] {
  const out = baselineViolations(pod);
  const spec = pod.spec;
  const psc = spec.securityContext ?? {};
  const all = containers(spec);
  const where = ({ kind, c }: { kind: string; c: any }) => `${kind} ${c.name}`;
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (!type || !RESTRICTED_VOLUMES.has(type)) out.push(`Volume Types: ${v.name} is ${type}`);
  }
  for (const x of all) if (x.c.securityContext?.allowPrivilegeEscalation !== false) out.push(`Privilege Escalation: ${where(x)} does not set allowPrivilegeEscalation: false`);
  for (const x of all) {
    const own = x.c.securityContext?.runAsNonRoot;
    if (own === false || (own !== true && psc.runAsNonRoot !== true)) out.push(`Running as Non-root: ${where(x)} may run as root (runAsNonRoot not true)`);
  }
  if (psc.runAsUser === 0) out.push('Running as Non-root user: the pod sets runAsUser 0');
  for (const x of all) if (x.c.securityContext?.runAsUser === 0) out.push(`Running as Non-root user: ${where(x)} sets runAsUser 0`);
  const seccompOk = (t: string | undefined) => t === 'RuntimeDefault' || t === 'Localhost';
  for (const x of all) {
    const own = x.c.securityContext?.seccompProfile?.type;
    if (own !== undefined ? !seccompOk(own) : !seccompOk(psc.seccompProfile?.type)) out.push(`Seccomp: ${where(x)} has no RuntimeDefault or Localhost profile`);
  }
  for (const x of all) {
    const caps = x.c.securityContext?.capabilities ?? {};
    if (!(caps.drop ?? []).includes('ALL')) out.push(`Capabilities: ${where(x)} does not drop ALL`);
    const added = (caps.add ?? []).filter((cap: string) => cap !== 'NET_BIND_SERVICE');
    if (added.length) out.push(`Capabilities: ${where(x)} adds ${added.join(', ')} (restricted allows NET_BIND_SERVICE only)`);
  }
  return [...new Set(out)];
}

/** What `level` forbids in the pod (empty: the level admits it). */
export function violations(pod: CheckedPod, level: PodSecurityLevel): string[] {
  return level === 'privileged' ? [] : level === 'baseline' ? baselineViolations(pod) : restrictedViolations(pod);
}
