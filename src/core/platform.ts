/**
 * The Kubernetes platforms the stack knows: which control-plane components Prometheus can scrape there, and (in
 * the accelerator exporters) which node labels and taints mark GPU and Neuron nodes.
 * @module
 */

/** Platforms the `platform` setting accepts. */
export const PLATFORMS = ['eks', 'gke', 'aks', 'generic'] as const;

/**
 * A Kubernetes platform: `eks` (Amazon EKS), `gke` (Google GKE), `aks` (Azure AKS), or `generic` (a cluster whose
 * control plane you run and expose to Prometheus, e.g. kubeadm with the components' metrics bound to the node IP).
 */
export type Platform = (typeof PLATFORMS)[number];

/**
 * The platform when none is set: `generic` keeps kube-prometheus-stack's defaults (every control-plane component
 * scraped), which is what a self-managed cluster needs and what earlier releases did; an upgrade changes nothing
 * until the platform is set.
 */
export const DEFAULT_PLATFORM: Platform = 'generic';

/**
 * Whether the platform's control plane is managed by the cloud provider: kube-scheduler, kube-controller-manager
 * and etcd run where Prometheus cannot reach them, and kube-proxy (where it runs at all) serves its metrics on the
 * node's loopback only (`--metrics-bind-address` 127.0.0.1:10249, its default).
 */
export const MANAGED_CONTROL_PLANE: Readonly<Record<Platform, boolean>> = { eks: true, gke: true, aks: true, generic: false };
