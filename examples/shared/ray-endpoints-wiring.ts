/**
 * The Ray ports and labels the examples' pods declare, taken from what `RayEndpoints` scrapes (src/ray-endpoints.ts)
 * so that the head ServiceMonitor and the worker PodMonitor find them; see test/examples.test.ts, which evaluates
 * the monitors' selectors against the pods and the head Service KubeRay derives from these templates.
 * @module
 */
import {
  RAY_DASHBOARD_PORT,
  RAY_DASHBOARD_PORT_NAME,
  RAY_HEAD_METRICS_PORTS,
  RAY_METRICS_PORT,
  RAY_METRICS_PORT_NAME,
  RAY_SERVE_PORT,
  RAY_SERVE_PORT_NAME,
} from '../../src/ray/ray-endpoints.js';
import type { RayContainerPort } from './ray-pod.js';

/**
 * Named container ports of Ray pods. The metrics, dashboard and Serve ports are the ones `RayEndpoints` knows; the
 * GCS and client ports are KubeRay's conventional names (not scraped, but KubeRay copies every head container port
 * onto the head Service, and workers reach the GCS through it).
 */
export const RAY_PORTS = {
  /** Ray metrics export (system, Train, Serve and re-exported vLLM metrics): scraped on heads and workers. */
  metrics: { name: RAY_METRICS_PORT_NAME, containerPort: RAY_METRICS_PORT },
  /** Ray dashboard and job submission API (the RayJob submitter talks to it). */
  dashboard: { name: RAY_DASHBOARD_PORT_NAME, containerPort: RAY_DASHBOARD_PORT },
  /** Ray Serve HTTP (the OpenAI-compatible API of the inference example). */
  serve: { name: RAY_SERVE_PORT_NAME, containerPort: RAY_SERVE_PORT },
  /** GCS server (KubeRay: `gcs-server`, 6379). */
  gcs: { name: 'gcs-server', containerPort: 6379 },
  /** Ray client (KubeRay: `client`, 10001). */
  client: { name: 'client', containerPort: 10001 },
} as const satisfies Record<string, RayContainerPort>;

/**
 * Every port a Ray head of the examples declares for metrics: the ones `RayEndpoints` scrapes on the head Service
 * (Ray metrics, autoscaler metrics, dashboard metrics).
 */
export function headMetricsPorts(): RayContainerPort[] {
  return RAY_HEAD_METRICS_PORTS.map((p) => ({ name: p.name, containerPort: p.containerPort }));
}

/** `ray start` parameters that put Ray's metrics on the declared metrics port. */
export function rayMetricsStartParams(): Record<string, string> {
  return { 'metrics-export-port': String(RAY_PORTS.metrics.containerPort) };
}
