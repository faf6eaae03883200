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
import { DECODER_SHAPES, DEFAULT_GPU_MEMORY_GIB, GIB, type MemoryEstimate, estimateWorkerMemory, formatGiB } from './memory-estimate.js';
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
  /** Train LoRA adapters (true) or all weights (false; about 28 GiB per GPU, so a 40 GB GPU: set gpuMemoryGiB). */
  readonly lora?: boolean;
  /** LoRA rank. */
  readonly loraRank?: number;
  /** LoRA alpha. */
  readonly loraAlpha?: number;
  /** LoRA dropout. */
  readonly loraDropout?: number;
  /** Optimizer steps between progress reports. */
  readonly logEvery?: number;
  /**
   * Ray Train storage. Set by {@link TrainingExampleProps.sharedStorage}; give it here only as a URI
   * (`s3://...`), or for runs that save nothing.
   */
  readonly storagePath?: string;
  /** Save the adapter (or model) as a Ray Train checkpoint at the end; needs shared storage. */
  readonly saveModel?: boolean;
}

/** The hyperparameters of this example's run; change them here (or pass `hyperparameters`) to tune the run. */
export const EXAMPLE_HYPERPARAMETERS: FinetuneHyperparameters = {
  modelId: 'meta-llama/Llama-3.2-1B-Instruct',
  dataset: 'databricks/databricks-dolly-15k',
  maxTrainSamples: 2000,
  maxSeqLength: 1024,
  learningRate: 2e-4,
  // 4 x 1024 tokens per micro-batch with recomputed activations fits a 24 GB GPU with room to spare (see
  // memory-estimate.ts); two micro-batches per step keep 8 examples per GPU per optimizer step.
  batchSize: 4,
  gradientAccumulationSteps: 2,
  gradientCheckpointing: true,
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
  /**
   * GPU memory CUDA can allocate on each GPU, in GiB. The run is refused when the estimate for its
   * hyperparameters ({@link estimateWorkerMemory}) exceeds it.
   * @default 22 (a 24 GB A10G or L4)
   */
  readonly gpuMemoryGiB?: number;
  /**
   * Storage every Ray pod can reach, for Ray Train's run directory and checkpoints. Required with
   * `hyperparameters.saveModel`: Ray Train needs the storage path to be the same directory on every node, which a
   * pod's own disk is not.
   * @default none: run state under /tmp/ray-results on each pod, and saveModel refused
   */
  readonly sharedStorage?: SharedStorage;
  /**
   * ServiceAccount of the head and worker pods, e.g. one that IRSA or EKS Pod Identity gives access to the
   * `sharedStorage` bucket (those inject their own token; the Kubernetes API token stays unmounted).
   * @default the namespace's default ServiceAccount
   */
  readonly serviceAccountName?: string;
}

/**
 * Storage shared by every Ray pod of the run: an object-store URI Ray Train writes to with pyarrow (`s3://bucket/path`,
 * `gs://...`, `abfss://...`; the pods need credentials for it), or a PersistentVolumeClaim that every pod mounts
 * (its volume must allow ReadWriteMany, e.g. EFS, Filestore or NFS).
 */
export type SharedStorage =
  | { readonly uri: string }
  | { readonly persistentVolumeClaim: string; readonly mountPath?: string };

/** Where a shared PersistentVolumeClaim is mounted unless told otherwise. */
export const SHARED_STORAGE_MOUNT_PATH = '/mnt/ray-storage';

const STORAGE_URI = /^[a-z][a-z0-9+.-]*:\/\/\S+$/;

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
  /** Name of the Ray container of the GPU workers (the training workers' logs are its stderr). */
  public readonly workerContainerName = 'ray-worker';
  /** Estimated GPU memory of one worker, when the model's shape is known ({@link DECODER_SHAPES}). */
  public readonly memoryEstimate?: MemoryEstimate;

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
    const storage = sharedStorageOf(props.sharedStorage, props.hyperparameters?.storagePath);
    this.hyperparameters = { ...EXAMPLE_HYPERPARAMETERS, ...props.hyperparameters, ...(storage ? { storagePath: storage.path } : {}) };
    if (this.hyperparameters.saveModel && !storage && !STORAGE_URI.test(this.hyperparameters.storagePath ?? '')) {
      throw new Error(
        'hyperparameters.saveModel: Ray Train saves checkpoints to its storage path, which every Ray pod must reach; ' +
          'give sharedStorage ({ uri: "s3://bucket/path" } or { persistentVolumeClaim: "<ReadWriteMany claim>" })',
      );
    }
    this.memoryEstimate = this.checkGpuMemory(props.gpuMemoryGiB ?? DEFAULT_GPU_MEMORY_GIB);
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
      persistentVolumeClaim: storage?.claim,
      serviceAccountName: props.serviceAccountName,
    });
    this.workerTemplate = rayPodTemplate({
      containerName: this.workerContainerName,
      image,
      resources: { ...(props.workerResources ?? { cpu: '3', memory: '12Gi' }), gpus: 1 },
      labels: appLabels,
      ports: [RAY_PORTS.metrics],
      hfToken,
      configMap: script,
      tmpSizeLimit: '30Gi',
      persistentVolumeClaim: storage?.claim,
      serviceAccountName: props.serviceAccountName,
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

  /** Refuses hyperparameters whose estimated memory exceeds the GPU's; unknown models are not estimated. */
  private checkGpuMemory(gpuMemoryGiB: number): MemoryEstimate | undefined {
    if (!(gpuMemoryGiB > 0)) throw new Error(`gpuMemoryGiB: must be > 0 (got ${gpuMemoryGiB})`);
    const shape = DECODER_SHAPES[this.hyperparameters.modelId ?? ''];
    if (!shape) return undefined;
    const estimate = estimateWorkerMemory(shape, this.hyperparameters);
    if (estimate.total > gpuMemoryGiB * GIB) {
      const { batchSize, maxSeqLength, gradientCheckpointing } = this.hyperparameters;
      throw new Error(
        `hyperparameters: one worker needs about ${formatGiB(estimate.total)} of GPU memory (activations ${formatGiB(estimate.activations)}, ` +
          `logits ${formatGiB(estimate.logits)}, weights and optimizer ${formatGiB(estimate.modelAndOptimizer)}) for batchSize ${batchSize} x maxSeqLength ` +
          `${maxSeqLength}${gradientCheckpointing ? '' : ' without gradientCheckpointing'}, more than gpuMemoryGiB ${gpuMemoryGiB}; ` +
          'turn gradientCheckpointing on, or lower batchSize (raise gradientAccumulationSteps to keep the examples per step) or maxSeqLength',
      );
    }
    return estimate;
  }
}

/** The storage path and, for a claim, the volume every pod mounts. */
interface ResolvedStorage {
  readonly path: string;
  readonly claim?: { readonly claimName: string; readonly mountPath: string };
}

function sharedStorageOf(storage: SharedStorage | undefined, storagePath: string | undefined): ResolvedStorage | undefined {
  if (!storage) return undefined;
  if (storagePath !== undefined) {
    throw new Error('hyperparameters.storagePath: sharedStorage sets it; give one or the other');
  }
  if ('uri' in storage) {
    if (!STORAGE_URI.test(storage.uri) || storage.uri.startsWith('file:')) {
      throw new Error(`sharedStorage.uri: '${storage.uri}' is not an object-store URI such as s3://bucket/path`);
    }
    return { path: storage.uri };
  }
  const claimName = checkName('sharedStorage.persistentVolumeClaim', storage.persistentVolumeClaim, 253);
  const mountPath = storage.mountPath ?? SHARED_STORAGE_MOUNT_PATH;
  if (!mountPath.startsWith('/') || mountPath.startsWith('/tmp') || mountPath.startsWith(RAY_HOME)) {
    throw new Error(`sharedStorage.mountPath: '${mountPath}' must be an absolute path outside /tmp and ${RAY_HOME} (those are other volumes)`);
  }
  return { path: mountPath, claim: { claimName, mountPath } };
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
