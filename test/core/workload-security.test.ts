import { describe, expect, it } from 'vitest';
import { TEST_OPENSEARCH_IMAGE } from '../support/mcp.js';
import { synthStack, type K8sObject } from '../support/synth.js';

const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob']);

/** The pod spec of a workload object. */
function podSpec(o: K8sObject): any {
  return o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec;
}

/**
 * Workloads allowed below the restricted profile, each for a documented reason (docs/gpu-telemetry.md): reading
 * Neuron devices needs a privileged container, as in AWS's own manifest.
 */
const PRIVILEGED_BY_NATURE = new Set(['DaemonSet/neuron-monitor']);

describe('workloads the library runs itself', () => {
  const { objects } = synthStack({
    mcp: { enabled: true, opensearch: { image: TEST_OPENSEARCH_IMAGE } },
    gpuExporters: { neuron: { enabled: true } },
  });
  const workloads = objects.filter((o) => WORKLOAD_KINDS.has(o.kind));

  it('exist in the output (MCP servers and neuron-monitor)', () => {
    expect(workloads.map((w) => `${w.kind}/${w.metadata.name}`)).toEqual(
      expect.arrayContaining(['DaemonSet/neuron-monitor', 'Deployment/kubernetes-mcp-server', 'Deployment/prometheus-mcp-server', 'Deployment/opensearch-mcp-server']),
    );
  });

  it('give every container cpu and memory requests and limits', () => {
    for (const w of workloads) {
      for (const c of [...(podSpec(w).initContainers ?? []), ...podSpec(w).containers]) {
        const where = `${w.kind}/${w.metadata.name}/${c.name}`;
        expect(Object.keys(c.resources?.requests ?? {}).sort(), where).toEqual(['cpu', 'memory']);
        expect(Object.keys(c.resources?.limits ?? {}).sort(), where).toEqual(['cpu', 'memory']);
      }
    }
  });

  it('run restricted: non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp, read-only root', () => {
    for (const w of workloads.filter((x) => !PRIVILEGED_BY_NATURE.has(`${x.kind}/${x.metadata.name}`))) {
      const pod = podSpec(w);
      for (const c of pod.containers) {
        const where = `${w.kind}/${w.metadata.name}/${c.name}`;
        const sc = { ...pod.securityContext, ...c.securityContext };
        expect(sc.runAsNonRoot, where).toBe(true);
        expect(sc.allowPrivilegeEscalation, where).toBe(false);
        expect(sc.readOnlyRootFilesystem, where).toBe(true);
        expect(sc.capabilities?.drop, where).toEqual(['ALL']);
        expect(sc.seccompProfile?.type, where).toBe('RuntimeDefault');
      }
    }
  });
});
