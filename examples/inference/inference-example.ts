import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import { stringify } from 'yaml';
import { RayService } from '../../imports/ray.io.js';
import { EXAMPLES_NAMESPACE, EXAMPLE_LABELS, checkName, exampleNamespace } from '../shared/example-namespace.js';
import { RAY_PORTS, headMetricsPorts, rayMetricsStartParams } from '../shared/ray-endpoints-wiring.js';
import {
  DEFAULT_HF_TOKEN_SECRET,
  RAY_LLM_IMAGE,
  RAY_VERSION,
  type RayPodTemplate,
  type RayResources,
  type SecretKeyRef,
  rayPodTemplate,
} from '../shared/ray-pod.js';

/** vLLM engine settings of the served model (keys are vLLM engine arguments, passed through by Ray Serve LLM). */
export interface VllmEngineSettings {
  /**
   * Context length (prompt + completion tokens) the engine accepts; bounds the KV cache per request.
   * @default 8192
   */
  readonly maxModelLen?: number;
  /**
   * Share of the GPU memory vLLM may use (weights + KV cache).
   * @default 0.9
   */
  readonly gpuMemoryUtilization?: number;
}

/** Props of {@link InferenceExample}. */
export interface InferenceExampleProps extends Omit<ChartProps, 'namespace'> {
  /**
   * Namespace of the RayService (the `hf-token` Secret must exist there).
   * @default "llm-examples"
   */
  readonly namespace?: string;
  /**
   * Create the namespace (Pod Security warn/audit = restricted).
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Name of the RayService; KubeRay names the OpenAI-compatible Service `<name>-serve-svc`.
   * @default "llama-serve"
   */
  readonly serviceName?: string;
  /**
   * Model id clients put in the `model` field of their requests; vLLM also reports it as the `model_name` label
   * of its metrics (Ray Serve LLM sets it as vLLM's served model name).
   * @default "llama-3.2-1b-instruct"
   */
  readonly modelId?: string;
  /**
   * Hugging Face repository the weights are downloaded from.
   * @default "meta-llama/Llama-3.2-1B-Instruct"
   */
  readonly modelSource?: string;
  /**
   * GPU workers (one GPU each); the model runs one replica on each.
   * @default 1
   */
  readonly gpuWorkers?: number;
  /** vLLM engine settings. @default maxModelLen 8192, gpuMemoryUtilization 0.9 */
  readonly engine?: VllmEngineSettings;
  /**
   * Requests (= limits) of each GPU worker. The default fits a 4-vCPU / 16 GiB GPU node (g5/g6.xlarge class).
   * @default 3 CPUs, 12Gi, 1 GPU
   */
  readonly workerResources?: Omit<RayResources, 'gpus'>;
  /**
   * Requests (= limits) of the Ray head (Serve controller and HTTP proxy; no GPU).
   * @default 2 CPUs, 6Gi
   */
  readonly headResources?: Omit<RayResources, 'gpus'>;
  /**
   * The Secret key holding the Hugging Face token (create it yourself; it is never emitted).
   * @default hf-token / token
   */
  readonly hfTokenSecret?: SecretKeyRef;
  /**
   * The Ray image of head and workers (must contain vLLM).
   * @default RAY_LLM_IMAGE (rayproject/ray-llm:2.56.0-py312-cu130)
   */
  readonly image?: string;
}

/** Name of the Ray Serve application (the `application` label of Ray Serve metrics). */
export const SERVE_APPLICATION = 'llm';

/**
 * A RayService serving Llama 3.2 1B Instruct with vLLM (V1 engine) through Ray Serve LLM's OpenAI-compatible app
 * (`ray.serve.llm:build_openai_app`): `/v1/chat/completions`, `/v1/completions`, `/v1/models` on the Serve port.
 *
 * `log_engine_metrics: true` makes Ray re-export vLLM's engine metrics (as `ray_vllm_*`) through the Ray metrics
 * port of every node, next to Ray Serve's own metrics; the pods carry the labels and named port `RayEndpoints`
 * scrapes, so the inference dashboard fills in. Needs only the KubeRay operator (1.7) and a Hugging Face token.
 */
export class InferenceExample extends Chart {
  /** Namespace of the RayService. */
  public readonly namespace: string;
  /** Name of the RayService. */
  public readonly serviceName: string;
  /** Model id of requests and of vLLM's `model_name` metric label. */
  public readonly modelId: string;
  /** Number of GPU workers (= model replicas). */
  public readonly gpuWorkers: number;
  /** The Ray Serve config (serveConfigV2) as an object. */
  public readonly serveConfig: Record<string, unknown>;
  /** The RayService. */
  public readonly rayService: RayService;
  /** Pod template of the Ray head. */
  public readonly headTemplate: RayPodTemplate;
  /** Pod template of the GPU workers. */
  public readonly workerTemplate: RayPodTemplate;
  /** Name of the GPU worker group. */
  public readonly workerGroupName = 'gpu-workers';

  constructor(scope: Construct, id: string, props: InferenceExampleProps = {}) {
    const { namespace: _ns, ...chartProps } = props;
    super(scope, id, { ...chartProps, labels: { ...EXAMPLE_LABELS, ...props.labels } });
    this.namespace = checkName('namespace', props.namespace ?? EXAMPLES_NAMESPACE);
    this.serviceName = checkName('serviceName', props.serviceName ?? 'llama-serve', 40);
    this.modelId = props.modelId ?? 'llama-3.2-1b-instruct';
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(this.modelId)) {
      throw new Error(`modelId: '${this.modelId}' must be letters, digits, '.', '_' and '-'`);
    }
    this.gpuWorkers = props.gpuWorkers ?? 1;
    if (!Number.isInteger(this.gpuWorkers) || this.gpuWorkers < 1) {
      throw new Error(`gpuWorkers: must be a positive integer (got ${this.gpuWorkers})`);
    }
    const engine = { maxModelLen: 8192, gpuMemoryUtilization: 0.9, ...props.engine };
    if (!(engine.gpuMemoryUtilization > 0 && engine.gpuMemoryUtilization <= 1)) {
      throw new Error(`engine.gpuMemoryUtilization: must be in (0, 1] (got ${engine.gpuMemoryUtilization})`);
    }
    if (!Number.isInteger(engine.maxModelLen) || engine.maxModelLen < 1) {
      throw new Error(`engine.maxModelLen: must be a positive integer (got ${engine.maxModelLen})`);
    }
    const image = props.image ?? RAY_LLM_IMAGE;
    const hfToken = props.hfTokenSecret ?? DEFAULT_HF_TOKEN_SECRET;

    if (props.createNamespace ?? true) exampleNamespace(this, this.namespace);

    this.serveConfig = {
      applications: [
        {
          name: SERVE_APPLICATION,
          route_prefix: '/',
          import_path: 'ray.serve.llm:build_openai_app',
          args: {
            llm_configs: [
              {
                model_loading_config: { model_id: this.modelId, model_source: props.modelSource ?? 'meta-llama/Llama-3.2-1B-Instruct' },
                // On by default since Ray 2.51; explicit because the inference dashboard depends on it.
                log_engine_metrics: true,
                engine_kwargs: { max_model_len: engine.maxModelLen, gpu_memory_utilization: engine.gpuMemoryUtilization },
                // One replica per GPU worker, all the time: the worker group does not scale, so replicas that
                // autoscaling kept at one would leave GPUs idle (Serve adds a replica only when the ongoing
                // requests per replica exceed its target).
                deployment_config: { num_replicas: this.gpuWorkers, max_ongoing_requests: 64 },
              },
            ],
          },
        },
      ],
    };

    const appLabels = { ...EXAMPLE_LABELS, 'app.kubernetes.io/instance': this.serviceName, 'app.kubernetes.io/component': 'inference' };
    this.headTemplate = rayPodTemplate({
      containerName: 'ray-head',
      image,
      resources: props.headResources ?? { cpu: '2', memory: '6Gi' },
      labels: appLabels,
      // KubeRay builds the `<name>-serve-svc` Service from the head container's port named `serve`.
      ports: [RAY_PORTS.gcs, RAY_PORTS.dashboard, RAY_PORTS.client, RAY_PORTS.serve, ...headMetricsPorts()],
      // Serve builds the application (and may read the gated model's config) on the head.
      hfToken,
    });
    this.workerTemplate = rayPodTemplate({
      containerName: 'ray-worker',
      image,
      resources: { ...(props.workerResources ?? { cpu: '3', memory: '12Gi' }), gpus: 1 },
      labels: appLabels,
      ports: [RAY_PORTS.serve, RAY_PORTS.metrics],
      hfToken,
      cacheSizeLimit: '30Gi',
    });

    this.rayService = new RayService(this, 'rayservice', {
      metadata: { name: this.serviceName, namespace: this.namespace, labels: appLabels },
      spec: {
        serveConfigV2: stringify(this.serveConfig),
        rayClusterConfig: {
          rayVersion: RAY_VERSION,
          enableInTreeAutoscaling: false,
          headGroupSpec: {
            // num-cpus 0: model replicas and the OpenAI ingress run on the workers; the head runs Serve's controller.
            rayStartParams: { 'dashboard-host': '0.0.0.0', 'num-cpus': '0', ...rayMetricsStartParams() },
            template: this.headTemplate,
          },
          workerGroupSpecs: [
            {
              groupName: this.workerGroupName,
              replicas: this.gpuWorkers,
              minReplicas: this.gpuWorkers,
              maxReplicas: this.gpuWorkers,
              rayStartParams: { ...rayMetricsStartParams() },
              template: this.workerTemplate,
            },
          ],
        },
      },
    });
  }

  /** Name of the Service KubeRay creates for the OpenAI-compatible endpoint (`<serviceName>-serve-svc`). */
  public get serveServiceName(): string {
    return `${this.serviceName}-serve-svc`;
  }

  /** Port of that Service: KubeRay takes it from the head container's port named `serve`. */
  public get servePort(): number {
    return RAY_PORTS.serve.containerPort;
  }
}
