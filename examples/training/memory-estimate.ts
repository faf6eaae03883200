/**
 * How much GPU memory one Ray Train worker of the training example needs, estimated from the model's shape and the
 * hyperparameters, so a run that cannot fit is refused at synth time instead of failing with CUDA out-of-memory
 * after the image pull, the package install and the model download. docs/examples.md ("GPU memory") explains the
 * accounting; the numbers are an estimate (not a measurement) and err on the high side.
 * @module
 */
import type { FinetuneHyperparameters } from './training-example.js';

/** The shape of a Llama-style decoder, as its Hugging Face `config.json` gives it. */
export interface DecoderShape {
  /** All parameters (embedding included once when tied). */
  readonly parameters: number;
  /** `hidden_size`. */
  readonly hiddenSize: number;
  /** `intermediate_size` (the SwiGLU MLP's inner width). */
  readonly intermediateSize: number;
  /** `num_hidden_layers`. */
  readonly layers: number;
  /** `num_attention_heads`. */
  readonly attentionHeads: number;
  /** `num_key_value_heads` (grouped-query attention). */
  readonly keyValueHeads: number;
  /** `vocab_size`. */
  readonly vocabSize: number;
}

/**
 * Llama 3.2 1B (base and Instruct share the shape):
 * `config.json` of meta-llama/Llama-3.2-1B-Instruct — hidden_size 2048, intermediate_size 8192, 16 layers, 32
 * attention heads, 8 key/value heads, vocab_size 128256, tied embeddings; 1,235,814,400 parameters.
 */
const LLAMA_3_2_1B: DecoderShape = {
  parameters: 1_235_814_400,
  hiddenSize: 2048,
  intermediateSize: 8192,
  layers: 16,
  attentionHeads: 32,
  keyValueHeads: 8,
  vocabSize: 128_256,
};

/** Shapes of the models the example knows, by Hugging Face id. */
export const DECODER_SHAPES: Readonly<Record<string, DecoderShape>> = {
  'meta-llama/Llama-3.2-1B-Instruct': LLAMA_3_2_1B,
  'meta-llama/Llama-3.2-1B': LLAMA_3_2_1B,
};

/**
 * Memory the CUDA context, cuBLAS/NCCL workspaces and the caching allocator's fragmentation take besides the
 * tensors, per GPU (a rule of thumb; PyTorch reports several hundred MiB for the context alone).
 */
export const RUNTIME_OVERHEAD_GIB = 2;

/** What a 24 GB GPU of the g5/g6 class (A10G, L4) lets CUDA allocate, in GiB. */
export const DEFAULT_GPU_MEMORY_GIB = 22;

/** One worker's estimated GPU memory, by part, in bytes. */
export interface MemoryEstimate {
  /** Frozen weights, trainable weights, their gradients and AdamW's two moments. */
  readonly modelAndOptimizer: number;
  /** Activations kept for the backward pass of one micro-batch (padded to the longest example). */
  readonly activations: number;
  /** The logits, the loss's fp32 copies and the logits' gradient for one micro-batch. */
  readonly logits: number;
  /** CUDA context, workspaces, allocator slack ({@link RUNTIME_OVERHEAD_GIB}). */
  readonly overhead: number;
  /** The sum. */
  readonly total: number;
  /** Tokens per micro-batch the estimate assumes (batch size x max sequence length). */
  readonly tokensPerMicroBatch: number;
}

/** The hyperparameters the estimate reads (the script's defaults where unset). */
type Sizing = Pick<FinetuneHyperparameters, 'batchSize' | 'maxSeqLength' | 'gradientCheckpointing' | 'lora' | 'loraRank'>;

const BF16 = 2;
const FP32 = 4;
const BOOL = 1;

/**
 * Trainable LoRA parameters: rank x (in + out) for each projection finetune_llama.py adapts (q, k, v, o, gate, up,
 * down) in every layer.
 */
export function loraParameters(shape: DecoderShape, rank: number): number {
  const h = shape.hiddenSize;
  const kv = (h / shape.attentionHeads) * shape.keyValueHeads;
  const i = shape.intermediateSize;
  const perLayer = rank * ((h + h) + (h + kv) + (h + kv) + (h + h) + (h + i) + (h + i) + (i + h));
  return perLayer * shape.layers;
}

/**
 * Bytes of activations one decoder layer keeps per token for the backward pass, in bf16 autocast with PyTorch's
 * SDPA attention (no sequence-squared score matrix) and, with LoRA, the base weights frozen:
 * - two RMSNorms, each keeping its fp32 input (4h) and handing a bf16 output (2h) to the projections;
 * - attention: q, k, v after RoPE and the output (SDPA's saved tensors), and o_proj's input;
 * - SwiGLU MLP: gate and up outputs, SiLU's output, and down_proj's input (each of the inner width);
 * - LoRA (rank is negligible): each of the 7 adapted projections keeps its dropout output (bf16) and mask (1 byte)
 *   of its input's width.
 */
export function layerActivationBytesPerToken(shape: DecoderShape, lora: boolean): number {
  const h = shape.hiddenSize;
  const kv = (h / shape.attentionHeads) * shape.keyValueHeads;
  const i = shape.intermediateSize;
  const norms = 2 * (FP32 * h + BF16 * h);
  const attention = BF16 * (h + kv + kv + h) + BF16 * h;
  const mlp = BF16 * (i + i + i + i);
  const loraInputs = lora ? (BF16 + BOOL) * (h + h + h + h + h + h + i) : 0;
  return norms + attention + mlp + loraInputs;
}

/**
 * Bytes per token of the language-model head and loss at the start of the backward pass: the bf16 logits,
 * transformers' fp32 upcast of them for the cross-entropy, cross-entropy's fp32 log-softmax, and the fp32 gradient
 * of the logits the backward pass creates while those are still alive.
 */
export function logitBytesPerToken(shape: DecoderShape): number {
  return (BF16 + FP32 + FP32 + FP32) * shape.vocabSize;
}

/**
 * One worker's GPU memory for `hyperparameters` on a model of `shape`. With gradient checkpointing, each layer keeps
 * only its bf16 input and one layer's activations are recomputed at a time. Full fine-tuning keeps fp32 weights,
 * fp32 gradients and AdamW's two fp32 moments (16 bytes per parameter); LoRA keeps bf16 frozen weights and fp32
 * adapters (PEFT's default) with their gradients and moments.
 */
export function estimateWorkerMemory(shape: DecoderShape, hyperparameters: Sizing): MemoryEstimate {
  const lora = hyperparameters.lora ?? true;
  const tokens = (hyperparameters.batchSize ?? 4) * (hyperparameters.maxSeqLength ?? 1024);
  const modelAndOptimizer = lora
    ? BF16 * shape.parameters + (FP32 * 4) * loraParameters(shape, hyperparameters.loraRank ?? 16)
    : (FP32 * 4) * shape.parameters;
  const perLayer = layerActivationBytesPerToken(shape, lora);
  const perToken = hyperparameters.gradientCheckpointing ?? true
    ? shape.layers * BF16 * shape.hiddenSize + perLayer
    : shape.layers * perLayer;
  const activations = perToken * tokens;
  const logits = logitBytesPerToken(shape) * tokens;
  const overhead = RUNTIME_OVERHEAD_GIB * GIB;
  return { modelAndOptimizer, activations, logits, overhead, total: modelAndOptimizer + activations + logits + overhead, tokensPerMicroBatch: tokens };
}

/** Bytes in a GiB. */
export const GIB = 1024 ** 3;

/** Bytes as GiB with one decimal, e.g. `12.3 GiB`. */
export function formatGiB(bytes: number): string {
  return `${(bytes / GIB).toFixed(1)} GiB`;
}
