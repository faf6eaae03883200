import { CLUSTER_ALL_VALUE } from '../src/dashboards/toolkit/builder.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { inferenceDashboard } from '../dashboards/inference.js';
import { trainingDashboard } from '../dashboards/training.js';
import { EXAMPLES } from '../examples/examples.js';
import { InferenceExample } from '../examples/inference/inference-example.js';
import { buildInferenceApp } from '../examples/inference/main.js';
import { buildOwnApp } from '../examples/own-app/own-app.js';
import {
  applyCommand,
  applyFileCommand,
  chatCompletionCurl,
  createSecretCommands,
  defaultGrafanaAccess,
  grafanaPortForward,
  inferenceDashboardUrl,
  progressLogsCommand,
  rayJobClusterCommand,
  serverDryRunCommands,
  servePortForward,
  synthCommand,
  trainingDashboardUrl,
  waitForHelmReleasesCommand,
} from '../examples/commands.js';
import { DEFAULT_HF_TOKEN_SECRET, NVIDIA_GPU, RAY_GPU_IMAGE, RAY_LLM_IMAGE, RAY_VERSION } from '../examples/shared/ray-pod.js';
import { synthesizeExamples } from '../examples/synth-all.js';
import { buildTrainingApp } from '../examples/training/main.js';
import { DECODER_SHAPES, DEFAULT_GPU_MEMORY_GIB, GIB, estimateWorkerMemory } from '../examples/training/memory-estimate.js';
import {
  EXAMPLE_HYPERPARAMETERS,
  SHARED_STORAGE_MOUNT_PATH,
  TRAINING_SCRIPT_DIR,
  TRAINING_SCRIPT_FILE,
  TrainingExample,
  flagOf,
  trainingEntrypoint,
} from '../examples/training/training-example.js';
import { DASHBOARD_VARIABLES } from '../src/dashboards/toolkit/dashboard-ids.js';
import type { GrafanaDashboard } from '../src/dashboards/toolkit/model.js';
import { DEFAULT_DASHBOARD_LOGS_SOURCE } from '../src/dashboards/gpu-dashboards.js';
import { KSM_LABELS, KSM_METRICS } from '../src/prometheus/kube-metrics.js';
import { LOG_FIELDS } from '../src/logs/log-fields.js';
import { TARGET_LABELS } from '../src/core/metric-names.js';
import { VLLM_LABELS, VLLM_METRICS } from '../src/vllm/vllm-metrics.js';
import { RAY_CLUSTER_LABEL, RAY_JOBS, RAY_METRICS_PORT_NAME } from '../src/ray/ray-endpoints.js';
import {
  type ModeledPod,
  coversNamespace,
  matchesSelector,
  podDiscoveryLabels,
  rayClusterHeadService,
  rayClusterPods,
  rayServiceHeadService,
  relabel,
} from './support/kuberay-model.js';
import { testCredentials } from './support/credentials.js';
import { kubeValidate, kubeValidatePath } from './support/kube-validate.js';
import { type K8sObject, allObjects, ofKind, one, synthStack } from './support/synth.js';
import { upstreamCrds } from './support/upstream.js';

const REPO = join(import.meta.dirname, '..');

function synthTraining(build: (app: App) => unknown = buildTrainingApp): K8sObject[] {
  const app = Testing.app();
  build(app);
  return allObjects(app);
}

function trainingChart(props: ConstructorParameters<typeof TrainingExample>[2] = {}): { example: TrainingExample; objects: K8sObject[] } {
  const app = Testing.app();
  const example = new TrainingExample(app, 'training', props);
  return { example, objects: allObjects(app) };
}

function inferenceChart(props: ConstructorParameters<typeof InferenceExample>[2] = {}): { example: InferenceExample; objects: K8sObject[] } {
  const app = Testing.app();
  const example = new InferenceExample(app, 'inference', props);
  return { example, objects: allObjects(app) };
}

/** Every pod template of an object (RayJob head/workers/submitter, RayService head/workers, Deployments). */
function podTemplates(object: K8sObject): any[] {
  const cluster = object.spec?.rayClusterSpec ?? object.spec?.rayClusterConfig;
  const templates: any[] = [];
  if (cluster) templates.push(cluster.headGroupSpec.template, ...cluster.workerGroupSpecs.map((g: any) => g.template));
  if (object.spec?.submitterPodTemplate) templates.push(object.spec.submitterPodTemplate);
  if (object.spec?.template?.spec?.containers) templates.push(object.spec.template);
  return templates;
}

const examples = {
  training: () => synthTraining(),
  inference: () => synthTraining(buildInferenceApp),
  'own-app': () => synthTraining((app) => buildOwnApp(app, { credentials: testCredentials() })),
};

describe('examples synthesize into valid manifests', () => {
  it.each(Object.entries(examples))('%s: kube-validate reports no invalid object (RayJob / RayService against the KubeRay 1.7 CRDs)', (_name, synth) => {
    const objects = synth();
    expect(objects.length).toBeGreaterThan(0);
    const result = kubeValidate(objects);
    expect(result.output).toMatch(/0 invalid, 0 of unknown kind/);
    expect(result.invalid).toBe(0);
  });

  it('registers every example folder in the synth:examples list', () => {
    const folders = readdirSync(join(REPO, 'examples'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(REPO, 'examples', d.name, 'main.ts')))
      .map((d) => d.name)
      .sort();
    expect(Object.keys(EXAMPLES).sort()).toEqual(folders);
  });

  it('writes each example under <outdir>/<name>/ and the whole folder validates', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'examples-')), 'examples');
    const written = synthesizeExamples(outdir, { ...EXAMPLES, 'own-app': (app) => buildOwnApp(app, { credentials: testCredentials() }) });
    expect(Object.keys(written)).toEqual(['training', 'inference', 'own-app']);
    expect(written.training).toEqual(['llama-finetune.k8s.yaml']);
    expect(written.inference).toEqual(['llama-serve.k8s.yaml']);
    // The stack's setup chart (namespace, CRD-bearing releases) sorts before the chart that needs it.
    expect(written['own-app'][0]).toMatch(/^0000-observability-setup/);
    for (const [name, files] of Object.entries(written)) expect(readdirSync(join(outdir, name)).sort()).toEqual(files);
    const result = kubeValidatePath(outdir);
    expect(result.invalid).toBe(0);
  });

  it('is all-or-nothing: a failing example leaves the previous output untouched and no staging folder behind', () => {
    const parent = mkdtempSync(join(tmpdir(), 'examples-'));
    const outdir = join(parent, 'examples');
    synthesizeExamples(outdir, { training: EXAMPLES.training });
    const before = readFileSync(join(outdir, 'training', 'llama-finetune.k8s.yaml'), 'utf8');
    expect(() =>
      synthesizeExamples(outdir, {
        training: EXAMPLES.training,
        inference: (app) => new InferenceExample(app, 'bad', { gpuWorkers: 0 }),
      }),
    ).toThrow(/example 'inference': gpuWorkers: must be a positive integer/);
    expect(readdirSync(parent)).toEqual(['examples']);
    expect(readdirSync(outdir).sort()).toEqual(['.aiml-observability-files', 'training']);
    expect(readFileSync(join(outdir, 'training', 'llama-finetune.k8s.yaml'), 'utf8')).toBe(before);
  });

  it('synthesizes byte-identical output twice (own-app: with the same credential store, as between two synths)', () => {
    const credentials = testCredentials();
    const ownApp = () => synthTraining((app) => buildOwnApp(app, { credentials }));
    for (const synth of [examples.training, examples.inference, ownApp]) expect(JSON.stringify(synth())).toBe(JSON.stringify(synth()));
  });
});

describe('every pod of the training and inference examples is pinned, bounded and restricted', () => {
  const objects = [...synthTraining(), ...synthTraining(buildInferenceApp)];
  const workloads = objects.filter((o) => o.kind === 'RayJob' || o.kind === 'RayService');
  const templates = workloads.flatMap(podTemplates);

  it('covers the head, worker and submitter templates', () => {
    expect(workloads.map((w) => w.kind).sort()).toEqual(['RayJob', 'RayService']);
    expect(templates).toHaveLength(5);
  });

  it('pins images to the Ray release the RayCluster declares (no latest, no untagged image)', () => {
    for (const workload of workloads) {
      const cluster = workload.spec.rayClusterSpec ?? workload.spec.rayClusterConfig;
      expect(cluster.rayVersion).toBe(RAY_VERSION);
      for (const template of podTemplates(workload)) {
        for (const container of template.spec.containers) {
          expect(container.image).toMatch(new RegExp(`^rayproject/ray(-llm)?:${RAY_VERSION.replaceAll('.', '\\.')}-py3\\d+-(gpu|cu\\d+)$`));
        }
      }
    }
    expect(RAY_GPU_IMAGE).toContain(`:${RAY_VERSION}-`);
    expect(RAY_LLM_IMAGE).toContain(`:${RAY_VERSION}-`);
  });

  it('sets requests and limits (cpu, memory) on every container, equal for Guaranteed QoS', () => {
    for (const template of templates) {
      for (const container of template.spec.containers) {
        expect(container.resources.requests.cpu, container.name).toBeDefined();
        expect(container.resources.requests.memory, container.name).toBeDefined();
        expect(container.resources.limits).toEqual(container.resources.requests);
      }
    }
  });

  it('runs every container non-root, without privilege escalation or capabilities, RuntimeDefault seccomp, read-only root', () => {
    for (const template of templates) {
      expect(template.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(template.spec.automountServiceAccountToken).toBe(false);
      for (const container of template.spec.containers) {
        expect(container.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        });
        // With a read-only root, /tmp must be a volume (Ray's session directory lives there).
        expect(container.volumeMounts.map((m: any) => m.mountPath)).toContain('/tmp');
      }
    }
  });

  it('GPU workers request and are limited to nvidia.com/gpu and tolerate the GPU taint; heads have no GPU', () => {
    for (const workload of workloads) {
      const cluster = workload.spec.rayClusterSpec ?? workload.spec.rayClusterConfig;
      const head = cluster.headGroupSpec.template.spec;
      expect(head.containers[0].resources.limits[NVIDIA_GPU]).toBeUndefined();
      expect(head.tolerations).toBeUndefined();
      for (const group of cluster.workerGroupSpecs) {
        const container = group.template.spec.containers[0];
        expect(container.resources.requests[NVIDIA_GPU]).toBe('1');
        expect(container.resources.limits[NVIDIA_GPU]).toBe('1');
        expect(group.template.spec.tolerations).toContainEqual({ key: NVIDIA_GPU, operator: 'Exists', effect: 'NoSchedule' });
      }
    }
  });

  it('sends Ray logs to stderr on every Ray container, where the cluster log shipper reads them', () => {
    for (const workload of workloads) {
      const cluster = workload.spec.rayClusterSpec ?? workload.spec.rayClusterConfig;
      for (const template of [cluster.headGroupSpec.template, ...cluster.workerGroupSpecs.map((g: any) => g.template)]) {
        expect(template.spec.containers[0].env).toContainEqual({ name: 'RAY_LOG_TO_STDERR', value: '1' });
      }
    }
  });

  it('reads the Hugging Face token from the user-created Secret by name and never emits a Secret', () => {
    expect(ofKind(objects, 'Secret')).toHaveLength(0);
    for (const workload of workloads) {
      const cluster = workload.spec.rayClusterSpec ?? workload.spec.rayClusterConfig;
      for (const group of cluster.workerGroupSpecs) {
        expect(group.template.spec.containers[0].env).toContainEqual({
          name: 'HF_TOKEN',
          valueFrom: { secretKeyRef: { name: DEFAULT_HF_TOKEN_SECRET.name, key: DEFAULT_HF_TOKEN_SECRET.key, optional: false } },
        });
      }
    }
  });
});

describe('training example', () => {
  const { example, objects } = trainingChart();
  const job = one(objects, 'RayJob', example.jobName);
  const cluster = job.spec.rayClusterSpec;

  it('runs Ray Train on 4 GPU workers with 1 GPU each, and tells the script so', () => {
    expect(cluster.workerGroupSpecs).toHaveLength(1);
    const [workers] = cluster.workerGroupSpecs;
    expect(workers.replicas).toBe(4);
    expect(workers.minReplicas).toBe(4);
    expect(workers.maxReplicas).toBe(4);
    expect(job.spec.entrypoint).toContain('--num-workers 4');
  });

  it('ships the script in a ConfigMap mounted on head and workers at the path the entrypoint runs', () => {
    const configMap = one(objects, 'ConfigMap', `${example.jobName}-script`);
    expect(configMap.data[TRAINING_SCRIPT_FILE]).toBe(readFileSync(join(REPO, 'examples', 'training', TRAINING_SCRIPT_FILE), 'utf8'));
    expect(job.spec.entrypoint.startsWith(`python ${TRAINING_SCRIPT_DIR}/${TRAINING_SCRIPT_FILE} `)).toBe(true);
    for (const template of [cluster.headGroupSpec.template, cluster.workerGroupSpecs[0].template]) {
      const volume = template.spec.volumes.find((v: any) => v.configMap?.name === configMap.metadata.name);
      expect(volume).toBeDefined();
      expect(template.spec.containers[0].volumeMounts).toContainEqual({ name: volume.name, mountPath: TRAINING_SCRIPT_DIR, readOnly: true });
    }
  });

  it('passes every hyperparameter as a flag the script declares', () => {
    const script = readFileSync(join(REPO, 'examples', 'training', TRAINING_SCRIPT_FILE), 'utf8');
    const declared = new Set([...script.matchAll(/add_argument\(\s*"(--[a-z-]+)"/g)].map((m) => m[1]));
    const booleans = new Set([...script.matchAll(/add_argument\(\s*"(--[a-z-]+)"[^)]*BooleanOptionalAction/g)].map((m) => m[1]));
    const used = job.spec.entrypoint.split(' ').filter((w: string) => w.startsWith('--'));
    expect(used.length).toBeGreaterThan(8);
    for (const flag of used) {
      const base = flag.startsWith('--no-') && booleans.has(`--${flag.slice(5)}`) ? `--${flag.slice(5)}` : flag;
      expect(declared, `flag ${flag}`).toContain(base);
    }
    // The flags an agent tunes are all there.
    for (const key of ['learningRate', 'batchSize', 'epochs', 'maxSeqLength', 'lora']) expect(declared).toContain(flagOf(key));
  });

  const python = spawnSync('python3', ['--version']).status === 0;
  it.skipIf(!python)('the script parses the entrypoint into the intended values (python3 argparse, no ML libraries needed)', () => {
    const entrypoint = trainingEntrypoint({ ...example.hyperparameters, lora: false, learningRate: 5e-5 }, { numWorkers: 4, runName: "it's a run" });
    const args = entrypoint.split(' ').slice(2).join(' ');
    const probe = [
      'import json, shlex, sys',
      `sys.path.insert(0, ${JSON.stringify(join(REPO, 'examples', 'training'))})`,
      'import finetune_llama',
      `print(json.dumps(vars(finetune_llama.parse_args(shlex.split(${JSON.stringify(args)})))))`,
    ].join('\n');
    const result = spawnSync('python3', ['-B', '-c', probe], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    const parsed = JSON.parse(result.stdout);
    expect(parsed).toMatchObject({
      lora: false,
      learning_rate: 5e-5,
      num_workers: 4,
      run_name: "it's a run",
      batch_size: 4,
      gradient_accumulation_steps: 2,
      gradient_checkpointing: true,
      epochs: 1,
      max_seq_length: 1024,
    });
    expect(parsed.model_id).toBe(example.hyperparameters.modelId);
  });

  it.skipIf(!python)('the script rejects hyperparameters that cannot work, naming the flag', () => {
    const probe = `import sys; sys.path.insert(0, ${JSON.stringify(join(REPO, 'examples', 'training'))}); import finetune_llama; finetune_llama.parse_args(['--batch-size', '0'])`;
    const result = spawnSync('python3', ['-B', '-c', probe], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--batch-size must be > 0');
  });

  it('installs pinned Python packages through the runtime env', () => {
    const runtimeEnv = parse(job.spec.runtimeEnvYAML);
    expect(runtimeEnv.pip.length).toBeGreaterThan(0);
    for (const requirement of runtimeEnv.pip) expect(requirement).toMatch(/^[a-z0-9_-]+==\d+(\.\d+)*$/);
    expect(runtimeEnv.pip.map((r: string) => r.split('==')[0])).toEqual(expect.arrayContaining(['torch', 'transformers', 'peft', 'datasets']));
  });

  it('cleans up the RayCluster after the job and bounds the run', () => {
    expect(job.spec).toMatchObject({ shutdownAfterJobFinishes: true, ttlSecondsAfterFinished: 600, activeDeadlineSeconds: 14_400 });
  });

  it('rejects bad props with messages naming the field', () => {
    expect(() => trainingChart({ gpuWorkers: 0 })).toThrow(/gpuWorkers: must be a positive integer/);
    expect(() => trainingChart({ jobName: 'Llama_Job' })).toThrow(/jobName: 'Llama_Job' must be a DNS label/);
    expect(() => trainingChart({ hyperparameters: { learningRate: Number.NaN } })).toThrow(/hyperparameters.learningRate: must be a finite number/);
  });

  it('scales the Ray Train workers with gpuWorkers', () => {
    const { objects: two } = trainingChart({ gpuWorkers: 2 });
    const twoJob = one(two, 'RayJob', 'llama-finetune');
    expect(twoJob.spec.rayClusterSpec.workerGroupSpecs[0].replicas).toBe(2);
    expect(twoJob.spec.entrypoint).toContain('--num-workers 2');
  });
});

describe('training example: GPU memory', () => {
  const shape = DECODER_SHAPES['meta-llama/Llama-3.2-1B-Instruct']!;

  it('runs with defaults that fit a 24 GB GPU (A10G, L4): 4 x 1024 tokens per micro-batch, activations recomputed', () => {
    const { example, objects } = trainingChart();
    const entrypoint: string = one(objects, 'RayJob', example.jobName).spec.entrypoint;
    expect(entrypoint).toContain('--batch-size 4');
    expect(entrypoint).toContain('--gradient-accumulation-steps 2');
    expect(entrypoint.split(' ')).toContain('--gradient-checkpointing');
    expect(example.memoryEstimate!.total / GIB).toBeLessThan(DEFAULT_GPU_MEMORY_GIB * 0.6);
    // Eight examples per optimizer step, as before the split into two micro-batches.
    expect(example.hyperparameters.batchSize! * example.hyperparameters.gradientAccumulationSteps!).toBe(8);
  });

  it('refuses the former defaults (8 x 1024 tokens, activations kept), which need more than the GPU has, and says what to change', () => {
    const former = { batchSize: 8, gradientAccumulationSteps: 1, gradientCheckpointing: false };
    expect(estimateWorkerMemory(shape, { ...EXAMPLE_HYPERPARAMETERS, ...former }).total / GIB).toBeGreaterThan(30);
    expect(() => trainingChart({ hyperparameters: former })).toThrow(
      /hyperparameters: one worker needs about 3\d\.\d GiB of GPU memory .* more than gpuMemoryGiB 22; turn gradientCheckpointing on, or lower batchSize/,
    );
    // On a GPU that has the memory, the same run is accepted.
    expect(() => trainingChart({ hyperparameters: former, gpuMemoryGiB: 75 })).not.toThrow();
  });

  it('estimates from the parts that grow with the micro-batch: recomputation keeps one layer, the fp32 logits stay', () => {
    const kept = estimateWorkerMemory(shape, { batchSize: 4, maxSeqLength: 1024, gradientCheckpointing: false });
    const recomputed = estimateWorkerMemory(shape, { batchSize: 4, maxSeqLength: 1024, gradientCheckpointing: true });
    expect(recomputed.modelAndOptimizer).toBe(kept.modelAndOptimizer);
    expect(recomputed.logits).toBe(kept.logits);
    expect(kept.activations / recomputed.activations).toBeGreaterThan(shape.layers / 2);
    const double = estimateWorkerMemory(shape, { batchSize: 8, maxSeqLength: 1024, gradientCheckpointing: true });
    expect(double.activations).toBe(2 * recomputed.activations);
    expect(double.logits).toBe(2 * recomputed.logits);
    // A 128k vocabulary: per token the logits outweigh a whole recomputed layer stack.
    expect(recomputed.logits).toBeGreaterThan(recomputed.activations);
    // Full fine-tuning keeps fp32 weights, gradients and two AdamW moments: 16 bytes per parameter.
    expect(estimateWorkerMemory(shape, { lora: false }).modelAndOptimizer).toBe(16 * shape.parameters);
  });

  it('does not guess for a model it has no shape of', () => {
    const { example } = trainingChart({ hyperparameters: { modelId: 'example-org/other-model' } });
    expect(example.memoryEstimate).toBeUndefined();
  });
});

describe('training example: saving the model needs storage every Ray pod reaches', () => {
  it('refuses saveModel with the default storage on each pod\'s own /tmp, naming the prop to set', () => {
    expect(() => trainingChart({ hyperparameters: { saveModel: true } })).toThrow(/hyperparameters\.saveModel: .* give sharedStorage/);
    expect(() => trainingChart({ hyperparameters: { saveModel: true, storagePath: '/tmp/ray-results' } })).toThrow(/give sharedStorage/);
  });

  it('with an object-store URI: passes it as the storage path, mounts nothing', () => {
    const { example, objects } = trainingChart({ hyperparameters: { saveModel: true }, sharedStorage: { uri: 's3://models/llama-finetune' } });
    const job = one(objects, 'RayJob', example.jobName);
    expect(job.spec.entrypoint).toContain('--storage-path s3://models/llama-finetune');
    expect(job.spec.entrypoint.split(' ')).toContain('--save-model');
    expect(podTemplates(job).flatMap((t) => t.spec.volumes).filter((v: any) => v.persistentVolumeClaim)).toEqual([]);
    expect(() => trainingChart({ sharedStorage: { uri: 'file:///mnt/x' } })).toThrow(/sharedStorage\.uri: 'file:\/\/\/mnt\/x' is not an object-store URI/);
  });

  it('with a PersistentVolumeClaim: mounts it on the head and every worker at the storage path', () => {
    const { example, objects } = trainingChart({ hyperparameters: { saveModel: true }, sharedStorage: { persistentVolumeClaim: 'ray-results' } });
    const job = one(objects, 'RayJob', example.jobName);
    expect(job.spec.entrypoint).toContain(`--storage-path ${SHARED_STORAGE_MOUNT_PATH}`);
    const cluster = job.spec.rayClusterSpec;
    for (const template of [cluster.headGroupSpec.template, ...cluster.workerGroupSpecs.map((g: any) => g.template)]) {
      const volume = template.spec.volumes.find((v: any) => v.persistentVolumeClaim?.claimName === 'ray-results');
      expect(volume).toBeDefined();
      expect(template.spec.containers[0].volumeMounts).toContainEqual({ name: volume.name, mountPath: SHARED_STORAGE_MOUNT_PATH });
    }
    const result = kubeValidate(objects);
    expect(result.invalid, result.output).toBe(0);
  });

  it('rejects a storage path given twice and a mount path on another volume', () => {
    expect(() => trainingChart({ sharedStorage: { uri: 's3://a/b' }, hyperparameters: { storagePath: 's3://c/d' } })).toThrow(/sharedStorage sets it/);
    expect(() => trainingChart({ sharedStorage: { persistentVolumeClaim: 'x', mountPath: '/tmp/results' } })).toThrow(/sharedStorage\.mountPath/);
  });

  const python = spawnSync('python3', ['--version']).status === 0;
  it.skipIf(!python)('the script refuses --save-model on a pod\'s own /tmp and accepts shared storage', () => {
    const run = (args: string[]) =>
      spawnSync('python3', ['-B', '-c', `import sys; sys.path.insert(0, ${JSON.stringify(join(REPO, 'examples', 'training'))}); import finetune_llama; finetune_llama.parse_args(${JSON.stringify(args)})`], { encoding: 'utf8' });
    const refused = run(['--save-model']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--save-model needs --storage-path on storage every Ray pod reaches');
    expect(run(['--save-model', '--storage-path', 's3://models/run']).status).toBe(0);
    expect(run(['--save-model', '--storage-path', SHARED_STORAGE_MOUNT_PATH]).status).toBe(0);
  });
});

describe('inference example', () => {
  const { example, objects } = inferenceChart();
  const service = one(objects, 'RayService', example.serviceName);
  const serveConfig = parse(service.spec.serveConfigV2);
  const [llmConfig] = serveConfig.applications[0].args.llm_configs;

  it('serves the model with Ray Serve LLM\'s OpenAI app, engine metrics on, one replica per GPU worker', () => {
    expect(serveConfig.applications[0].import_path).toBe('ray.serve.llm:build_openai_app');
    expect(llmConfig.model_loading_config).toEqual({ model_id: example.modelId, model_source: 'meta-llama/Llama-3.2-1B-Instruct' });
    expect(llmConfig.log_engine_metrics).toBe(true);
  });

  it.each([1, 3])('runs a replica on each of %i GPU workers from the start, not an autoscaled one that a single client never grows', (gpuWorkers) => {
    const { objects: scaled } = inferenceChart({ gpuWorkers });
    const scaledService = one(scaled, 'RayService', example.serviceName);
    const [config] = parse(scaledService.spec.serveConfigV2).applications[0].args.llm_configs;
    const workers = scaledService.spec.rayClusterConfig.workerGroupSpecs[0];
    expect(config.deployment_config.num_replicas).toBe(gpuWorkers);
    expect(config.deployment_config.autoscaling_config).toBeUndefined();
    expect([workers.replicas, workers.minReplicas, workers.maxReplicas]).toEqual([gpuWorkers, gpuWorkers, gpuWorkers]);
    expect(workers.template.spec.containers[0].resources.limits[NVIDIA_GPU]).toBe('1');
  });

  it('passes only engine arguments Ray Serve LLM forwards to vLLM (model and served_model_name are its own)', () => {
    expect(Object.keys(llmConfig.engine_kwargs).sort()).toEqual(['gpu_memory_utilization', 'max_model_len']);
  });

  it('declares the serve port KubeRay builds <name>-serve-svc from', () => {
    const ports = service.spec.rayClusterConfig.headGroupSpec.template.spec.containers[0].ports;
    expect(ports).toContainEqual({ name: 'serve', containerPort: example.servePort });
    expect(example.serveServiceName).toBe('llama-serve-serve-svc');
  });

  it('rejects bad props with messages naming the field', () => {
    expect(() => inferenceChart({ engine: { gpuMemoryUtilization: 1.5 } })).toThrow(/engine.gpuMemoryUtilization: must be in \(0, 1\]/);
    expect(() => inferenceChart({ modelId: 'my model' })).toThrow(/modelId: 'my model'/);
  });
});

/** The stack's Ray monitors, as the default ObservabilityChart deploys them. */
function rayMonitors(): { head: K8sObject; workers: K8sObject } {
  const { objects } = synthStack();
  return { head: one(objects, 'ServiceMonitor', RAY_JOBS.HEAD), workers: one(objects, 'PodMonitor', RAY_JOBS.WORKERS) };
}

describe('RayEndpoints scrapes the examples (evaluated against the pods and Services KubeRay creates)', () => {
  const { head: headMonitor, workers: workerMonitor } = rayMonitors();
  const training = trainingChart();
  const inference = inferenceChart();
  const trainingSpec = one(training.objects, 'RayJob', training.example.jobName).spec.rayClusterSpec;
  const inferenceSpec = one(inference.objects, 'RayService', inference.example.serviceName).spec.rayClusterConfig;
  // KubeRay names a RayJob's / RayService's RayCluster `<name>-<5 random characters>`.
  const cases = [
    { name: 'training', spec: trainingSpec, cluster: `${training.example.jobName}-x7k2p`, namespace: training.example.namespace, workers: 4 },
    { name: 'inference', spec: inferenceSpec, cluster: `${inference.example.serviceName}-q9w4z`, namespace: inference.example.namespace, workers: 1 },
  ];

  it.each(cases)('$name: the worker PodMonitor selects every GPU worker pod, on a port the pod declares, and no head pod', ({ spec, cluster, namespace, workers }) => {
    const pods = rayClusterPods(spec, cluster, namespace);
    const selected = pods.filter((p) => coversNamespace(workerMonitor, p.namespace) && matchesSelector(p.labels, workerMonitor.spec.selector));
    expect(selected).toHaveLength(workers);
    expect(selected.every((p) => p.nodeType === 'worker')).toBe(true);
    for (const pod of selected) {
      for (const endpoint of workerMonitor.spec.podMetricsEndpoints) {
        expect(pod.ports.map((p) => p.name)).toContain(endpoint.port);
      }
    }
  });

  it.each(cases)('$name: the head ServiceMonitor selects the RayCluster head Service, and every endpoint port is on it', ({ spec, cluster, namespace }) => {
    const service = rayClusterHeadService(spec, cluster, namespace);
    expect(coversNamespace(headMonitor, namespace)).toBe(true);
    expect(matchesSelector(service.labels, headMonitor.spec.selector)).toBe(true);
    const servicePorts = service.ports.map((p) => p.name);
    for (const endpoint of headMonitor.spec.endpoints) expect(servicePorts, `endpoint port ${endpoint.port}`).toContain(endpoint.port);
    // ...and the Service reaches the head pod.
    const [headPod] = rayClusterPods(spec, cluster, namespace);
    expect(headPod!.nodeType).toBe('head');
    expect(matchesSelector(headPod!.labels, { matchLabels: service.selector })).toBe(true);
  });

  it.each(cases)('$name: Ray listens for metrics on the port the monitors scrape', ({ spec }) => {
    for (const group of [spec.headGroupSpec, ...spec.workerGroupSpecs]) {
      const port = group.template.spec.containers[0].ports.find((p: any) => p.name === RAY_METRICS_PORT_NAME);
      expect(group.rayStartParams['metrics-export-port']).toBe(String(port.containerPort));
    }
  });

  it('does not scrape the RayService head twice (its extra <service>-head-svc is not selected)', () => {
    const extra = rayServiceHeadService(inferenceSpec, inference.example.serviceName, `${inference.example.serviceName}-q9w4z`, inference.example.namespace);
    expect(matchesSelector(extra.labels, headMonitor.spec.selector)).toBe(false);
  });

  it('does not select the RayJob submitter pod (it has no metrics port)', () => {
    const job = one(training.objects, 'RayJob', training.example.jobName);
    const submitterLabels = { ...job.spec.submitterPodTemplate.metadata.labels, 'batch.kubernetes.io/job-name': training.example.jobName };
    expect(matchesSelector(submitterLabels, workerMonitor.spec.selector)).toBe(false);
  });
});

/** Evaluates a Grafana `label_values(metric{matchers}, label)` query over `series`, with variables substituted. */
function labelValues(query: string, series: readonly Record<string, string>[], variables: Record<string, string>): string[] {
  const match = /^label_values\((?<metric>[^{,\s]+)(?:\{(?<matchers>.*)\})?,\s*(?<label>[A-Za-z_][A-Za-z0-9_]*)\)$/.exec(query.trim());
  if (!match?.groups) throw new Error(`not a label_values(metric{...}, label) query: ${query}`);
  const substitute = (s: string) => s.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    if (!(name in variables)) throw new Error(`variable $${name} has no value`);
    return variables[name]!;
  });
  const matchers = (match.groups.matchers ?? '')
    .split(/,\s*(?=[A-Za-z_][A-Za-z0-9_]*\s*(?:=~|!~|!=|=))/)
    .filter((m) => m.trim() !== '')
    .map((m) => {
      const parts = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(".*")\s*$/.exec(m);
      if (!parts) throw new Error(`cannot read matcher ${m}`);
      return { label: parts[1]!, op: parts[2]!, value: substitute(JSON.parse(parts[3]!) as string) };
    });
  const values = series
    .filter((s) => s.__name__ === match.groups!.metric)
    .filter((s) =>
      matchers.every(({ label, op, value }) => {
        const actual = s[label] ?? '';
        const regex = new RegExp(`^(?:${value})$`);
        return op === '=' ? actual === value : op === '!=' ? actual !== value : op === '=~' ? regex.test(actual) : !regex.test(actual);
      }),
    )
    .map((s) => s[match.groups!.label!])
    .filter((v): v is string => v !== undefined);
  return [...new Set(values)].sort();
}

/** A dashboard's template variable queries, by variable name. */
function variableQueries(dashboard: GrafanaDashboard): Record<string, string> {
  const out: Record<string, string> = {};
  for (const variable of dashboard.templating.list as any[]) if (variable.type === 'query') out[variable.name] = variable.definition;
  return out;
}

/**
 * The series Prometheus holds for a scraped Ray pod: the metric with the target labels the monitor's relabelings
 * produce (plus `namespace` and `pod`, which the Prometheus Operator adds to every target) and the metric's own
 * labels, after the monitor's metric relabelings.
 */
function scraped(pod: ModeledPod, podName: string, monitorEndpoint: any, metric: string, own: Record<string, string> = {}): Record<string, string> | undefined {
  const target = relabel({ ...podDiscoveryLabels(pod, `node-${podName}`) }, monitorEndpoint.relabelings ?? []);
  const targetLabels = Object.fromEntries(Object.entries(target ?? {}).filter(([k]) => !k.startsWith('__')));
  return relabel({ __name__: metric, ...own, ...targetLabels, namespace: pod.namespace, pod: podName }, monitorEndpoint.metricRelabelings ?? []);
}

describe("the dashboards' variables find the examples (same label values end to end)", () => {
  const { head: headMonitor, workers: workerMonitor } = rayMonitors();
  const context = { prometheusDatasourceUid: 'prometheus', logs: DEFAULT_DASHBOARD_LOGS_SOURCE };

  it('training: namespace and ray_cluster come from the Ray scrape, pods from kube-state-metrics, and they agree', () => {
    const { example, objects } = trainingChart();
    const spec = one(objects, 'RayJob', example.jobName).spec.rayClusterSpec;
    const clusterName = `${example.jobName}-x7k2p`;
    const pods = rayClusterPods(spec, clusterName, example.namespace);
    const names = pods.map((p, i) => `${clusterName}-${p.nodeType}-${i}`);
    const series: Record<string, string>[] = [
      ...pods.map((pod, i) => scraped(pod, names[i]!, (pod.nodeType === 'head' ? headMonitor.spec.endpoints : workerMonitor.spec.podMetricsEndpoints)[0], 'ray_node_cpu_utilization')!),
      // kube-state-metrics: the pods' controller is the RayCluster KubeRay created.
      ...pods.map((pod, i) => ({
        __name__: KSM_METRICS.POD_INFO,
        [KSM_LABELS.NAMESPACE]: pod.namespace,
        [KSM_LABELS.POD]: names[i]!,
        [KSM_LABELS.CREATED_BY_KIND]: pod.owner.kind,
        [KSM_LABELS.CREATED_BY_NAME]: pod.owner.name,
        [KSM_LABELS.NODE]: `node-${names[i]}`,
      })),
    ];
    // RayEndpoints copies the pod label ray.io/cluster into ray_io_cluster.
    expect(series[0]![TARGET_LABELS.RAY_CLUSTER]).toBe(pods[0]!.labels[RAY_CLUSTER_LABEL]);

    const queries = variableQueries(trainingDashboard(context));
    // The cluster variable at its default, All (a leaf stores no cluster label: All matches every series).
    const vars: Record<string, string> = { [DASHBOARD_VARIABLES.cluster]: CLUSTER_ALL_VALUE };
    expect(labelValues(queries[DASHBOARD_VARIABLES.namespace]!, series, vars)).toContain(example.namespace);
    vars[DASHBOARD_VARIABLES.namespace] = example.namespace;
    expect(labelValues(queries[DASHBOARD_VARIABLES.rayCluster]!, series, vars)).toEqual([clusterName]);
    vars[DASHBOARD_VARIABLES.rayCluster] = clusterName;
    expect(labelValues(queries[DASHBOARD_VARIABLES.pod]!, series, vars)).toEqual([...names].sort());
    vars[DASHBOARD_VARIABLES.pod] = '.*';
    expect(labelValues(queries[DASHBOARD_VARIABLES.node]!, series, vars)).toHaveLength(pods.length);

    // The docs' link selects exactly these values (the RayCluster name is read from the RayJob's status).
    const url = new URL(trainingDashboardUrl(example, defaultGrafanaAccess()).replace('${RAY_CLUSTER}', clusterName));
    expect(url.searchParams.get(`var-${DASHBOARD_VARIABLES.namespace}`)).toBe(example.namespace);
    expect(url.searchParams.get(`var-${DASHBOARD_VARIABLES.rayCluster}`)).toBe(clusterName);
  });

  it('inference: vLLM metrics re-exported by Ray reach the dashboard under vLLM names, labelled with the served model', () => {
    const { example, objects } = inferenceChart();
    const spec = one(objects, 'RayService', example.serviceName).spec.rayClusterConfig;
    const pods = rayClusterPods(spec, `${example.serviceName}-q9w4z`, example.namespace).filter((p) => p.nodeType === 'worker');
    // Ray Serve LLM sets vLLM's served model name to model_loading_config.model_id; Ray prefixes vLLM's metrics with ray_vllm_.
    const series = pods.map((pod, i) =>
      scraped(pod, `worker-${i}`, workerMonitor.spec.podMetricsEndpoints[0], VLLM_METRICS.NUM_REQUESTS_RUNNING.replace(/^vllm:/, 'ray_vllm_'), {
        [VLLM_LABELS.MODEL_NAME]: example.modelId,
      })!,
    );
    expect(series[0]!.__name__).toBe(VLLM_METRICS.NUM_REQUESTS_RUNNING);

    const queries = variableQueries(inferenceDashboard(context));
    // The cluster variable at its default, All (a leaf stores no cluster label: All matches every series).
    const vars: Record<string, string> = { [DASHBOARD_VARIABLES.cluster]: CLUSTER_ALL_VALUE };
    expect(labelValues(queries[DASHBOARD_VARIABLES.namespace]!, series, vars)).toEqual([example.namespace]);
    vars[DASHBOARD_VARIABLES.namespace] = example.namespace;
    expect(labelValues(queries[DASHBOARD_VARIABLES.model]!, series, vars)).toEqual([example.modelId]);
    vars[DASHBOARD_VARIABLES.model] = example.modelId;
    expect(labelValues(queries[DASHBOARD_VARIABLES.pod]!, series, vars)).toEqual(['worker-0']);

    const url = new URL(inferenceDashboardUrl(example, defaultGrafanaAccess()));
    expect(url.searchParams.get(`var-${DASHBOARD_VARIABLES.namespace}`)).toBe(example.namespace);
    expect(url.searchParams.get(`var-${DASHBOARD_VARIABLES.model}`)).toBe(example.modelId);
  });
});

/** A Fluent Bit tail glob as a regex (`*` stays within a path segment). */
function globRegex(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
}

describe("the stack's Fluent Bit ships the Ray containers' stderr, with the pods' labels", () => {
  const { objects: stack } = synthStack();
  const input = ofKind(stack, 'ClusterInput').find((i) => i.spec.tail)!;
  const kubernetesFilter = ofKind(stack, 'ClusterFilter').flatMap((f) => f.spec.filters).find((f: any) => f.kubernetes)!.kubernetes;

  it.each([
    ['training', () => one(trainingChart().objects, 'RayJob', 'llama-finetune').spec.rayClusterSpec, 'llm-examples'],
    ['inference', () => one(inferenceChart().objects, 'RayService', 'llama-serve').spec.rayClusterConfig, 'llm-examples'],
  ] as const)('%s: every Ray container log file is tailed and not excluded', (_name, spec, namespace) => {
    const cluster = spec();
    for (const group of [cluster.headGroupSpec, ...cluster.workerGroupSpecs]) {
      const template = group.template;
      // kubelet writes /var/log/containers/<pod>_<namespace>_<container>-<container id>.log
      const file = `/var/log/containers/llama-abcde-${group.groupName ?? 'head'}-x1y2z_${namespace}_${template.spec.containers[0].name}-0123456789abcdef.log`;
      expect(globRegex(input.spec.tail.path).test(file), file).toBe(true);
      for (const excluded of (input.spec.tail.excludePath ?? '').split(',').filter(Boolean)) expect(globRegex(excluded.trim()).test(file)).toBe(false);
      // Pods may opt out with the fluentbit.io/exclude annotation; the examples' pods do not.
      expect(template.metadata.annotations?.['fluentbit.io/exclude']).toBeUndefined();
    }
    expect(kubernetesFilter.labels).toBe(true);
  });
});

describe('docs/examples.md', () => {
  const docs = readFileSync(join(REPO, 'docs', 'examples.md'), 'utf8');
  const training = trainingChart().example;
  const inference = inferenceChart().example;
  const grafana = defaultGrafanaAccess();

  it('points at the Grafana Service of the default stack', () => {
    const stack = synthStack().chart.prometheusStack!;
    expect(grafana).toMatchObject({ namespace: stack.prometheusNamespace, serviceName: stack.grafanaServiceName, servicePort: stack.grafanaPort });
  });

  it.each([
    ['training', [...createSecretCommands(training.namespace, DEFAULT_HF_TOKEN_SECRET), synthCommand('training'), applyCommand('training'), grafanaPortForward(grafana), rayJobClusterCommand(training), trainingDashboardUrl(training, grafana), progressLogsCommand(training)]],
    ['inference', [...createSecretCommands(inference.namespace, DEFAULT_HF_TOKEN_SECRET), synthCommand('inference'), applyCommand('inference'), servePortForward(inference), chatCompletionCurl(inference), grafanaPortForward(grafana), inferenceDashboardUrl(inference, grafana)]],
    ['own-app', [synthCommand('own-app'), applyCommand('own-app'), 'npm run synth:examples', 'npx vitest run examples/own-app']],
  ])('gives the exact commands of the %s example', (_name, commands) => {
    for (const command of commands) expect(docs, command).toContain(command);
  });

  it('applies the own-app setup chart first and waits for Flux to install its charts (a single apply finds no CRDs yet)', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'own-app-docs-')), 'examples');
    const written = synthesizeExamples(outdir, { 'own-app': (app) => buildOwnApp(app, { credentials: testCredentials() }) });
    const [setupFile, ...rest] = written['own-app'];
    expect(setupFile).toMatch(/^0000-observability-setup/);
    expect(rest.length).toBeGreaterThan(0);
    const setupObjects = parseAllDocuments(readFileSync(join(outdir, 'own-app', setupFile!), 'utf8')).map((d) => d.toJS() as K8sObject);
    const releaseNamespaces = [...new Set(ofKind(setupObjects, 'HelmRelease').map((r) => r.metadata.namespace as string))];
    expect(releaseNamespaces.length).toBeGreaterThan(0);
    const commands = [applyFileCommand('own-app', setupFile!), ...releaseNamespaces.map((ns) => waitForHelmReleasesCommand(ns)), applyCommand('own-app')];
    let at = -1;
    for (const command of commands) {
      const found = docs.indexOf(command, at + 1);
      expect(found, command).toBeGreaterThan(at);
      at = found;
    }
  });

  it('creates the namespace before the server-side dry run (a dry run creates nothing)', () => {
    const commands = serverDryRunCommands('training', training.namespace);
    expect(commands[0]).toBe(`kubectl create namespace ${training.namespace}`);
    const at = docs.indexOf(commands[1]!);
    expect(at).toBeGreaterThan(-1);
    expect(docs.lastIndexOf(commands[0]!, at)).toBeGreaterThan(-1);
    expect(docs.slice(docs.lastIndexOf('```', at), at)).toContain(commands[0]);
  });

  it("points at the rank-0 worker's stderr for the progress lines: the selector finds exactly the GPU worker pods, in the container that runs them", () => {
    const spec = one(trainingChart().objects, 'RayJob', training.jobName).spec.rayClusterSpec;
    const cluster = `${training.jobName}-x7k2p`;
    const command = progressLogsCommand(training).replace('${RAY_CLUSTER}', cluster);
    const selector = Object.fromEntries(/ -l (\S+)/.exec(command)![1]!.split(',').map((kv) => kv.split('=') as [string, string]));
    const pods = rayClusterPods(spec, cluster, training.namespace);
    expect(pods.filter((p) => matchesSelector(p.labels, { matchLabels: selector })).map((p) => p.nodeType)).toEqual(['worker', 'worker', 'worker', 'worker']);
    expect(command).toContain(` -c ${spec.workerGroupSpecs[0].template.spec.containers[0].name} `);
    // The script tags every line with the worker's rank; the docs search the logs' message field for it.
    expect(readFileSync(join(REPO, 'examples', 'training', TRAINING_SCRIPT_FILE), 'utf8')).toContain('rank=%(rank)s');
    expect(docs).toContain(`${LOG_FIELDS.message}:"rank=0"`);
  });

  it('reads the RayCluster names from status fields the KubeRay 1.7 CRDs declare', () => {
    const crd = (kind: string): any => upstreamCrds().find((c) => c.spec.group === 'ray.io' && c.spec.names.kind === kind)!.spec.versions.find((v) => v.name === 'v1')!.schema!.openAPIV3Schema;
    expect(crd('RayJob').properties.status.properties.rayClusterName.type).toBe('string');
    expect(crd('RayService').properties.status.properties.activeServiceStatus.properties.rayClusterName.type).toBe('string');
    expect(docs).toContain("jsonpath='{.status.activeServiceStatus.rayClusterName}'");
  });
});

// Keeps the helper's stand-in honest: the model's head Service has the ports the example head container declares.
describe('KubeRay model (stand-in for the operator)', () => {
  it('copies named head container ports onto the head Service and adds metrics only when missing', () => {
    const spec = { headGroupSpec: { template: { spec: { containers: [{ ports: [{ name: 'dashboard', containerPort: 8265 }, { containerPort: 1234 }] }] } } } };
    expect(rayClusterHeadService(spec, 'c', 'ns').ports).toEqual([
      { name: '1234-port', port: 1234 },
      { name: 'dashboard', port: 8265 },
      { name: 'metrics', port: 8080 },
    ]);
  });

  it('keeps KubeRay\'s cluster, node-type and group labels even when a template sets them', () => {
    const spec = { headGroupSpec: { template: { metadata: { labels: { 'ray.io/cluster': 'mine', team: 'ml' } }, spec: { containers: [{}] } } } };
    const [head] = rayClusterPods(spec, 'real', 'ns');
    expect(head!.labels).toMatchObject({ 'ray.io/cluster': 'real', 'ray.io/node-type': 'head', team: 'ml' });
  });
});
