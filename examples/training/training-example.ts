import { readFileSync } from 'node:fs';
import { Chart, type ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import type { Construct } from 'constructs';
import { stringify } from 'yaml';
import {
  RayJob,
  RayJobSpecRayClusterSpecHeadGroupSpecTemplateSpecContainersResourcesLimits as Quantity,
  type RayJobSpecRayClusterSpecWorkerGroupSpecs,
} from '../../imports/ray.io.js';
import { RAY_PORTS, headMetricsPorts, rayMetricsStartParams } from '../shared/ray-endpoints-wiring.js';
import { EXAMPLES_NAMESPACE, EXAMPLE_LABELS, checkName, exampleNamespace } from '../shared/example-namespace.js';
import {
  DEFAULT_HF_TOKEN_SECRET,
  RAY_GPU_IMAGE,
  RAY_HOME,
  RAY_VERSION,
  type RayPodTemplate,
  type RayResources,
  type SecretKeyRef,
  rayContainerResources,
  rayContainerSecurityContext,
  rayPodSecurityContext,
  rayPodTemplate,
} from '../shared/ray-pod.js';

/** The training script, shipped in a ConfigMap and run as the RayJob's entrypoint. */
export const TRAINING_SCRIPT_FILE = 'finetune_llama.py';
/** Where the script's ConfigMap is mounted in the Ray head and worker pods. */
export const TRAINING_SCRIPT_DIR = `${RAY_HOME}/app`;

/**
 * Python packages the job's runtime env installs on every Ray node before the script runs (pinned, and known to
 * work together with Python 3.11): PyTorch, Transformers, PEFT (LoRA) and Datasets.
 */
export const TRAINING_PIP_PACKAGES = [
  'torch==2.8.0',
  'transformers==4.56.2',
  'peft==0.17.1',
  'accelerate==1.10.1',
  'datasets==4.1.1',
] as const;

/**
 * Hyperparameters of a fine-tuning run, passed to the script as command-line flags (`learningRate` ->
 * `--learning-rate`; a boolean `lora: false` -> `--no-lora`). Unset ones take the script's defaults
 * (`python finetune_llama.py --help` lists them).
 */
export interface FinetuneHyperparameters {
  /** Hugging Face model to fine-tune. */
  readonly modelId?: string;
  /** Hugging Face instruction dataset (instruction / context / response columns). */
  readonly dataset?: string;
  /** Examples taken from the dataset (0 = all). */
  readonly maxTrainSamples?: number;
  /** Share of the examples held out for the eval loss. */
  readonly evalFraction?: number;
  /** Tokens per example. */
  readonly maxSeqLength?: number;
  /** Peak learning rate. */
  readonly learningRate?: number;
  /** Examples per GPU per micro-batch. */
  readonly batchSize?: number;
  /** Micro-batches per optimizer step. */
  readonly gradientAccumulationSteps?: number;
  /** Passes over the data. */
  readonly epochs?: number;
  /** Share of the steps spent warming up the learning rate. */
  readonly warmupRatio?: number;
  /** AdamW weight decay. */
  readonly weightDecay?: number;
  /** Gradient clipping norm (0 = off). */
  readonly maxGradNorm?: number;
  /** Recompute activations to save memory. */
  readonly gradientCheckpointing?: boolean;
  /** Random seed. */
  readonly seed?: number;
  /** Train LoRA adapters (true) or all weights (false; needs ~40 GB GPUs). */
  readonly lora?: boolean;
  /** LoRA rank. */
  readonly loraRank?: number;
  /** LoRA alpha. */
  readonly loraAlpha?: number;
  /** LoRA dropout. */
  readonly loraDropout?: number;
  /** Optimizer steps between progress reports. */
  readonly logEvery?: number;
  /** Ray Train storage (shared storage such as s3://... when saveModel is on). */
  readonly storagePath?: string;
  /** Save the adapter (or model) as a Ray Train checkpoint at the end. */
  readonly saveModel?: boolean;
}

/** The hyperparameters of this example's run; change them here (or pass `hyperparameters`) to tune the run. */
export const EXAMPLE_HYPERPARAMETERS: FinetuneHyperparameters = {
  modelId: 'meta-llama/Llama-3.2-1B-Instruct',
  dataset: 'databricks/databricks-dolly-15k',
  maxTrainSamples: 2000,
  maxSeqLength: 1024,
  learningRate: 2e-4,
  batchSize: 8,
  gradientAccumulationSteps: 1,
  epochs: 1,
  lora: true,
  loraRank: 16,
  loraAlpha: 32,
};

/** Props of {@link TrainingExample}. */
export interface TrainingExampleProps extends Omit<ChartProps, 'namespace'> {
  /**
   * Namespace of the RayJob (the `hf-token` Secret must exist there).
   * @default "llm-examples"
   */
  readonly namespace?: string;
  /**
   * Create the namespace (Pod Security warn/audit = restricted).
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Name of the RayJob; the script's ConfigMap and the Ray Train run are named after it.
   * @default "llama-finetune"
   */
  readonly jobName?: string;
  /**
   * GPU workers, one GPU each; also the number of Ray Train workers.
   * @default 4
   */
  readonly gpuWorkers?: number;
  /**
   * Hyperparameters of the run, merged over {@link EXAMPLE_HYPERPARAMETERS}.
   * @default EXAMPLE_HYPERPARAMETERS
   */
  readonly hyperparameters?: FinetuneHyperparameters;
  /**
   * Requests (= limits) of each GPU worker. The default fits a 4-vCPU / 16 GiB GPU node (g5/g6.xlarge class).
   * @default 3 CPUs, 12Gi, 1 GPU
   */
  readonly workerResources?: Omit<RayResources, 'gpus'>;
  /**
   * Requests (= limits) of the Ray head (drives the run; no GPU).
   * @default 2 CPUs, 8Gi
   */
  readonly headResources?: Omit<RayResources, 'gpus'>;
  /**
   * The Secret key holding the Hugging Face token (create it yourself; it is never emitted).
   * @default hf-token / token
   */
  readonly hfTokenSecret?: SecretKeyRef;
  /**
   * The Ray image of head, workers and submitter.
   * @default RAY_GPU_IMAGE (rayproject/ray:2.56.0-py311-gpu)
   */
  readonly image?: string;
  /**
   * Seconds after which KubeRay stops the job.
   * @default 14400 (4 hours)
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Seconds the finished job's RayCluster is kept (its metrics stay scrapeable meanwhile) before deletion.
   * @default 600
   */
  readonly ttlSecondsAfterFinished?: number;
}

/**
 * A RayJob that fine-tunes Llama 3.2 1B for instruction following on 4 GPUs with Ray Train (TorchTrainer, one
 * worker per GPU). The training script ({@link TRAINING_SCRIPT_FILE}) lives in a ConfigMap mounted into the head
 * and the workers; its hyperparameters are command-line flags of the entrypoint.
 *
 * Observability: the pods carry the labels and named metrics port that `RayEndpoints` scrapes (Ray system, Train
 * and the script's own `ray_finetune_*` metrics), and Ray logs to stderr so the cluster's Fluent Bit ships them.
 * Needs only the KubeRay operator (1.7) in the cluster, and a Secret with a Hugging Face token.
 */
export class TrainingExample extends Chart {
  /** Namespace of the RayJob. */
  public readonly namespace: string;
  /** Name of the RayJob. */
  public readonly jobName: string;
  /** Name of the Ray Train run (tags the `ray_finetune_*` metrics with `run`). */
  public readonly runName: string;
  /** Number of GPU workers (= Ray Train workers). */
  public readonly gpuWorkers: number;
  /** The hyperparameters the run uses. */
  public readonly hyperparameters: FinetuneHyperparameters;
  /** The RayJob. */
  public readonly rayJob: RayJob;
  /** The ConfigMap holding the training script. */
  public readonly scriptConfigMap: k8s.KubeConfigMap;
  /** Pod template of the Ray head. */
  public readonly headTemplate: RayPodTemplate;
  /** Pod template of the GPU workers. */
  public readonly workerTemplate: RayPodTemplate;
  /** Name of the GPU worker group. */
  public readonly workerGroupName = 'gpu-workers';

  constructor(scope: Construct, id: string, props: TrainingExampleProps = {}) {
    const { namespace: _ns, ...chartProps } = props;
    super(scope, id, { ...chartProps, labels: { ...EXAMPLE_LABELS, ...props.labels } });
    this.namespace = checkName('namespace', props.namespace ?? EXAMPLES_NAMESPACE);
    // The RayCluster is named <jobName>-<5 random characters>, and its head Service adds "-head-svc".
    this.jobName = checkName('jobName', props.jobName ?? 'llama-finetune', 40);
    this.runName = this.jobName;
    this.gpuWorkers = props.gpuWorkers ?? 4;
    if (!Number.isInteger(this.gpuWorkers) || this.gpuWorkers < 1) {
      throw new Error(`gpuWorkers: must be a positive integer (got ${this.gpuWorkers})`);
    }
    this.hyperparameters = { ...EXAMPLE_HYPERPARAMETERS, ...props.hyperparameters };
    const image = props.image ?? RAY_GPU_IMAGE;
    const hfToken = props.hfTokenSecret ?? DEFAULT_HF_TOKEN_SECRET;

    if (props.createNamespace ?? true) exampleNamespace(this, this.namespace);

    this.scriptConfigMap = new k8s.KubeConfigMap(this, 'script', {
      metadata: { name: `${this.jobName}-script`, namespace: this.namespace },
      data: { [TRAINING_SCRIPT_FILE]: readFileSync(new URL(`./${TRAINING_SCRIPT_FILE}`, import.meta.url), 'utf8') },
    });
    const script = { name: this.scriptConfigMap.name, mountPath: TRAINING_SCRIPT_DIR };
    const appLabels = { ...EXAMPLE_LABELS, 'app.kubernetes.io/instance': this.jobName, 'app.kubernetes.io/component': 'training' };

    this.headTemplate = rayPodTemplate({
      containerName: 'ray-head',
      image,
      resources: props.headResources ?? { cpu: '2', memory: '8Gi' },
      labels: appLabels,
      ports: [RAY_PORTS.gcs, RAY_PORTS.dashboard, RAY_PORTS.client, ...headMetricsPorts()],
      configMap: script,
      // The job's runtime env (PyTorch & co.) is installed below /tmp/ray on every node.
      tmpSizeLimit: '30Gi',
    });
    this.workerTemplate = rayPodTemplate({
      containerName: 'ray-worker',
      image,
      resources: { ...(props.workerResources ?? { cpu: '3', memory: '12Gi' }), gpus: 1 },
      labels: appLabels,
      ports: [RAY_PORTS.metrics],
      hfToken,
      configMap: script,
      tmpSizeLimit: '30Gi',
    });
    const workers: RayJobSpecRayClusterSpecWorkerGroupSpecs = {
      groupName: this.workerGroupName,
      replicas: this.gpuWorkers,
      minReplicas: this.gpuWorkers,
      maxReplicas: this.gpuWorkers,
      rayStartParams: { ...rayMetricsStartParams() },
      template: this.workerTemplate,
    };

    this.rayJob = new RayJob(this, 'rayjob', {
      metadata: { name: this.jobName, namespace: this.namespace, labels: appLabels },
      spec: {
        entrypoint: trainingEntrypoint(this.hyperparameters, { numWorkers: this.gpuWorkers, runName: this.runName }),
        runtimeEnvYaml: stringify({ pip: [...TRAINING_PIP_PACKAGES] }),
        shutdownAfterJobFinishes: true,
        ttlSecondsAfterFinished: props.ttlSecondsAfterFinished ?? 600,
        activeDeadlineSeconds: props.activeDeadlineSeconds ?? 14_400,
        backoffLimit: 0,
        submitterPodTemplate: submitterPodTemplate(image, appLabels),
        rayClusterSpec: {
          rayVersion: RAY_VERSION,
          enableInTreeAutoscaling: false,
          headGroupSpec: {
            // num-cpus 0: no training task lands on the head; it only runs the driver.
            rayStartParams: { 'dashboard-host': '0.0.0.0', 'num-cpus': '0', ...rayMetricsStartParams() },
            template: this.headTemplate,
          },
          workerGroupSpecs: [workers],
        },
      },
    });
  }
}

/** Options of {@link trainingEntrypoint} that come from the job rather than the hyperparameters. */
export interface EntrypointOptions {
  /** Ray Train workers (one GPU each). */
  readonly numWorkers: number;
  /** Name of the Ray Train run. */
  readonly runName: string;
}

/** The flag of a hyperparameter: `learningRate` -> `--learning-rate`. */
export function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The RayJob entrypoint: the script with one flag per set hyperparameter (in a fixed order), shell-quoted. */
export function trainingEntrypoint(hyperparameters: FinetuneHyperparameters, options: EntrypointOptions): string {
  const args: string[] = [];
  const all: Record<string, string | number | boolean | undefined> = {
    ...hyperparameters,
    numWorkers: options.numWorkers,
    runName: options.runName,
  };
  for (const key of Object.keys(all).sort()) {
    const value = all[key];
    if (value === undefined) continue;
    if (typeof value === 'boolean') {
      args.push(value ? flagOf(key) : `--no-${flagOf(key).slice(2)}`);
    } else {
      if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`hyperparameters.${key}: must be a finite number (got ${value})`);
      args.push(flagOf(key), shellQuote(String(value)));
    }
  }
  return ['python', `${TRAINING_SCRIPT_DIR}/${TRAINING_SCRIPT_FILE}`, ...args].join(' ');
}

/** Quotes a word for a POSIX shell unless it only has characters that need no quoting. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The pod KubeRay runs `ray job submit` in (it fills in the command): restricted like the Ray pods, with requests
 * and limits, and no labels or ports a Ray monitor would select.
 */
function submitterPodTemplate(image: string, labels: Record<string, string>): RayPodTemplate {
  return {
    metadata: { labels: { ...labels, 'app.kubernetes.io/component': 'ray-job-submitter' } },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      securityContext: rayPodSecurityContext(),
      containers: [
        {
          name: 'ray-job-submitter',
          image,
          imagePullPolicy: 'IfNotPresent',
          resources: rayContainerResources({ cpu: '500m', memory: '1Gi' }),
          securityContext: rayContainerSecurityContext(),
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        },
      ],
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString('1Gi') } }],
    },
  };
}
