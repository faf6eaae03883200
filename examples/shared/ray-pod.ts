/**
 * Pod templates for the Ray heads and workers of the examples: pinned images, requests and limits, a restricted
 * security context with a read-only root filesystem, Ray's logs on stderr, and the GPU taint tolerated where a
 * GPU is requested. KubeRay adds its own labels, ports and probes on top (see test/examples.test.ts).
 * @module
 */
import {
  RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecContainersResourcesLimits as Quantity,
  type RayJobSpecRayClusterSpecHeadGroupSpecTemplate,
  type RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecContainers,
  type RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecContainersEnv,
  type RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecContainersPorts,
  type RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecContainersSecurityContext,
  type RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecContainersVolumeMounts,
  type RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecSecurityContext,
  type RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecTolerations,
  type RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecVolumes,
} from '../../imports/ray.io.js';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../src/core/security.js';

/**
 * A pod template of a RayCluster head or worker group. The generated KubeRay types of RayJob and RayService pod
 * templates are structurally identical, so one template type serves both.
 */
export type RayPodTemplate = RayJobSpecRayClusterSpecHeadGroupSpecTemplate;
/** A container of a {@link RayPodTemplate}. */
export type RayContainer = RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecContainers;
/** An environment variable of a {@link RayContainer}. */
export type RayEnvVar = RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecContainersEnv;
/** A container port of a {@link RayContainer}. */
export type RayContainerPort = RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecContainersPorts;

/**
 * The Ray release of the example images; `rayVersion` in the RayCluster specs must match the image. KubeRay 1.7.0
 * (the CRDs in ../shared/crds/kuberay-1.7.0) runs its end-to-end tests with Ray 2.55.0
 * (ray-operator/test/support/defaults.go) and pins 2.56.0 in its Ray Serve LLM samples; docs/examples.md
 * ("Versions") lists what was tested against what.
 */
export const RAY_VERSION = '2.56.0';

/**
 * Ray with CUDA 12, Python 3.11: the training image (PyTorch and friends come from the job's runtime env). Ray's tag
 * scheme is `{version}-py{XY}-{platform}`, `-gpu` aliasing a `-cuXX` build (docker/ray/README.md).
 */
export const RAY_GPU_IMAGE = `rayproject/ray:${RAY_VERSION}-py311-gpu`;

/**
 * Ray with vLLM (0.22.0 in 2.56.0) and CUDA 13.0, Python 3.12: the image Ray recommends for Ray Serve LLM, and the
 * tag KubeRay 1.7.0's samples pin (ray-operator/config/samples/ray-service.high-throughput-llm.yaml). CUDA 13
 * needs an NVIDIA driver >= 580 on the GPU nodes.
 */
export const RAY_LLM_IMAGE = `rayproject/ray-llm:${RAY_VERSION}-py312-cu130`;

/** User id of `ray` in the rayproject images. */
export const RAY_UID = 1000;

/** Home directory of `ray` in the rayproject images (its Python environment lives below it). */
export const RAY_HOME = '/home/ray';

/** Extended resource name of NVIDIA GPUs, also the key of the taint GPU node pools carry. */
export const NVIDIA_GPU = 'nvidia.com/gpu';

/** Tolerates the `nvidia.com/gpu` taint (any value) that keeps non-GPU pods off GPU nodes. */
export const GPU_TOLERATION: RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecTolerations = {
  key: NVIDIA_GPU,
  operator: 'Exists',
  effect: 'NoSchedule',
};

/** A Secret key holding a Hugging Face access token, created by the user and referenced by name only. */
export interface SecretKeyRef {
  /** Name of the Secret. */
  readonly name: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/**
 * The Secret the examples read the Hugging Face token from; create it with
 * `kubectl create secret generic hf-token --from-literal=token=<your token>`.
 */
export const DEFAULT_HF_TOKEN_SECRET: SecretKeyRef = { name: 'hf-token', key: 'token' };

/** Requests (= limits) of one Ray container. */
export interface RayResources {
  /** CPU cores, e.g. `"4"`. */
  readonly cpu: string;
  /** Memory, e.g. `"16Gi"`. */
  readonly memory: string;
  /** NVIDIA GPUs; > 0 also adds the GPU toleration. @default 0 */
  readonly gpus?: number;
}

/** Where Ray, pip and the model libraries may write; everything else of the root filesystem is read-only. */
export const WRITABLE_DIRS = {
  /** Ray's session directory (/tmp/ray: logs, sockets, runtime_env virtualenvs) and other temporary files. */
  tmp: '/tmp',
  /** Hugging Face models and datasets, pip, CUDA, Triton, vLLM, FlashInfer and torch compile caches. */
  cache: `${RAY_HOME}/.cache`,
} as const;

/** Props of {@link rayPodTemplate}. */
export interface RayPodTemplateProps {
  /** `ray-head` for the head group, `ray-worker` for worker groups (KubeRay's convention). */
  readonly containerName: 'ray-head' | 'ray-worker';
  /** The Ray image; every pod of a cluster must run the same Ray and Python version. */
  readonly image: string;
  /** Requests and limits of the Ray container. */
  readonly resources: RayResources;
  /** Labels of the pods, on top of the ones KubeRay adds (`ray.io/*`). */
  readonly labels: Readonly<Record<string, string>>;
  /** Named container ports (the metrics port at least). */
  readonly ports: readonly RayContainerPort[];
  /** Secret with the Hugging Face token, exposed as HF_TOKEN. @default none */
  readonly hfToken?: SecretKeyRef;
  /** Extra environment variables. @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** A ConfigMap mounted read-only (e.g. the training script). @default none */
  readonly configMap?: { readonly name: string; readonly mountPath: string };
  /** Size limit of the writable /tmp volume (runtime_env packages land there). @default "20Gi" */
  readonly tmpSizeLimit?: string;
  /** Size limit of the writable cache volume (model weights land there). @default "20Gi" */
  readonly cacheSizeLimit?: string;
  /** A PersistentVolumeClaim mounted read-write (shared storage). @default none */
  readonly persistentVolumeClaim?: { readonly claimName: string; readonly mountPath: string };
  /**
   * ServiceAccount of the pod (for cloud credentials such as IRSA or EKS Pod Identity); its Kubernetes API token
   * is not mounted either way.
   * @default the namespace's default ServiceAccount
   */
  readonly serviceAccountName?: string;
}

/**
 * Environment every Ray container of the examples gets:
 * - `RAY_LOG_TO_STDERR=1`: Ray's own logs (raylet, GCS, dashboard, workers) go to the container's stderr instead
 *   of files under /tmp/ray, so the cluster's log shipper (Fluent Bit tailing container logs) ships them with the
 *   pod's Kubernetes labels. Trade-off, per Ray's docs: the Ray dashboard's log viewer and the copying of worker
 *   output to the driver no longer work.
 * - caches pointed into the writable cache volume (the root filesystem is read-only).
 */
export function rayEnvironment(): Record<string, string> {
  return {
    RAY_LOG_TO_STDERR: '1',
    HF_HOME: `${WRITABLE_DIRS.cache}/huggingface`,
    XDG_CACHE_HOME: WRITABLE_DIRS.cache,
    XDG_CONFIG_HOME: `${WRITABLE_DIRS.cache}/config`,
    TRITON_CACHE_DIR: `${WRITABLE_DIRS.cache}/triton`,
    CUDA_CACHE_PATH: `${WRITABLE_DIRS.cache}/nv`,
  };
}

/** Container security context: the library's restricted profile, as user `ray`. */
export function rayContainerSecurityContext(): RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecContainersSecurityContext {
  return {
    ...(restrictedContainerSecurityContext() as RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecContainersSecurityContext),
    runAsUser: RAY_UID,
  };
}

/** Pod security context: the library's restricted profile, as user `ray`. */
export function rayPodSecurityContext(): RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecSecurityContext {
  return restrictedPodSecurityContext(RAY_UID) as RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecSecurityContext;
}

/** Requests and limits (equal: Guaranteed QoS) of a Ray container. */
export function rayContainerResources(resources: RayResources): NonNullable<RayContainer['resources']> {
  const quantities: Record<string, Quantity> = {
    cpu: Quantity.fromString(resources.cpu),
    memory: Quantity.fromString(resources.memory),
  };
  if ((resources.gpus ?? 0) > 0) quantities[NVIDIA_GPU] = Quantity.fromString(String(resources.gpus));
  return { requests: { ...quantities }, limits: { ...quantities } };
}

/** A Ray head or worker pod template (see the props for what it contains). */
export function rayPodTemplate(props: RayPodTemplateProps): RayPodTemplate {
  const gpu = (props.resources.gpus ?? 0) > 0;
  const env: RayEnvVar[] = Object.entries({ ...rayEnvironment(), ...props.env })
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({ name, value }));
  if (props.hfToken) {
    env.push({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: props.hfToken.name, key: props.hfToken.key, optional: false } } });
  }
  const volumes: RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecVolumes[] = [
    { name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString(props.tmpSizeLimit ?? '20Gi') } },
    { name: 'cache', emptyDir: { sizeLimit: Quantity.fromString(props.cacheSizeLimit ?? '20Gi') } },
  ];
  const mounts: RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecContainersVolumeMounts[] = [
    { name: 'tmp', mountPath: WRITABLE_DIRS.tmp },
    { name: 'cache', mountPath: WRITABLE_DIRS.cache },
  ];
  if (props.configMap) {
    volumes.push({ name: 'app', configMap: { name: props.configMap.name } });
    mounts.push({ name: 'app', mountPath: props.configMap.mountPath, readOnly: true });
  }
  if (props.persistentVolumeClaim) {
    volumes.push({ name: 'shared-storage', persistentVolumeClaim: { claimName: props.persistentVolumeClaim.claimName } });
    mounts.push({ name: 'shared-storage', mountPath: props.persistentVolumeClaim.mountPath });
  }
  return {
    metadata: { labels: { ...props.labels } },
    spec: {
      securityContext: rayPodSecurityContext(),
      // Ray pods do not talk to the Kubernetes API (no in-tree autoscaler in the examples). A ServiceAccount for
      // cloud credentials needs no API token either: IRSA and EKS Pod Identity inject their own.
      ...(props.serviceAccountName ? { serviceAccountName: props.serviceAccountName } : {}),
      automountServiceAccountToken: false,
      tolerations: gpu ? [GPU_TOLERATION] : undefined,
      containers: [
        {
          name: props.containerName,
          image: props.image,
          imagePullPolicy: 'IfNotPresent',
          ports: props.ports.map((p) => ({ ...p })),
          env,
          resources: rayContainerResources(props.resources),
          securityContext: rayContainerSecurityContext(),
          volumeMounts: mounts,
        },
      ],
      volumes,
    },
  };
}
