"""Supervised fine-tuning of Llama 3.2 1B for instruction following, with Ray Train.

The RayJob in examples/training mounts this file from a ConfigMap and runs it as the job's entrypoint on the
Ray head. The head only drives the run: a TorchTrainer starts one training worker per GPU (4 by default) on the
GPU worker pods, and each worker runs `train_loop_per_worker` under DistributedDataParallel.

Every hyperparameter is a command-line flag, so a person or an agent can change a run without editing code:

    python finetune_llama.py --learning-rate 1e-4 --epochs 2 --batch-size 4 --max-seq-length 512 --no-lora

What the run reports while it trains:
  * logs, one line every --log-every optimizer steps with loss, learning rate and throughput, written by the
    rank-0 training worker to the stderr of its GPU worker pod (the RayJob sets RAY_LOG_TO_STDERR=1, so the
    cluster's log shipper picks them up, and Ray no longer copies worker output to the driver);
  * Prometheus gauges through Ray's metrics agent (the same port Ray's system metrics use): ray_finetune_loss,
    ray_finetune_eval_loss, ray_finetune_learning_rate, ray_finetune_tokens_per_second, ray_finetune_epoch and
    ray_finetune_step, each tagged with the run name (label `run`);
  * ray.train.report() metrics, visible in the Ray dashboard and in the result of TorchTrainer.fit().

GPU memory: a worker keeps activations for every token of a micro-batch, padded to its longest example, and the
loss upcasts the 128k-wide logits to fp32; examples/training/memory-estimate.ts estimates it (about 12 GiB per GPU
with the defaults: 4 x 1024 tokens per micro-batch, gradient checkpointing, LoRA) and the RayJob refuses
hyperparameters that do not fit its GPUs.

The Hugging Face token comes from the HF_TOKEN environment variable (set by the RayJob from a Secret); Llama 3.2
is a gated model, so the token's account must have accepted its licence.
"""

from __future__ import annotations

import argparse
import logging
import math
import random
import sys
import tempfile
import time
from typing import Any

LOG = logging.getLogger("finetune")

#: Projections LoRA adapts in every Llama decoder layer (attention and MLP).
LORA_TARGET_MODULES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]

#: Label value for tokens the loss ignores (the prompt and the padding).
IGNORE_INDEX = -100

#: Ray Train's storage unless told otherwise: /tmp of each pod, enough for run state but not for checkpoints, which
#: Ray Train needs on storage every node reaches.
LOCAL_STORAGE_PATH = "/tmp/ray-results"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The hyperparameters and settings of one run."""
    parser = argparse.ArgumentParser(
        description="Fine-tune Llama 3.2 1B for instruction following with Ray Train.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    model = parser.add_argument_group("model and data")
    model.add_argument("--model-id", default="meta-llama/Llama-3.2-1B-Instruct",
                       help="Hugging Face model to fine-tune (the base model meta-llama/Llama-3.2-1B works too)")
    model.add_argument("--dataset", default="databricks/databricks-dolly-15k",
                       help="Hugging Face dataset with instruction / context / response columns")
    model.add_argument("--max-train-samples", type=int, default=2000,
                       help="examples taken from the dataset (0 = all of it)")
    model.add_argument("--eval-fraction", type=float, default=0.05,
                       help="share of the examples held out to measure eval loss after every epoch")
    model.add_argument("--max-seq-length", type=int, default=1024,
                       help="tokens per example; longer examples are truncated")

    optim = parser.add_argument_group("optimisation")
    optim.add_argument("--learning-rate", type=float, default=2e-4, help="peak learning rate (AdamW)")
    optim.add_argument("--batch-size", type=int, default=4,
                       help="examples per GPU per micro-batch (padded to the longest; see GPU memory above)")
    optim.add_argument("--gradient-accumulation-steps", type=int, default=2,
                       help="micro-batches per optimizer step")
    optim.add_argument("--epochs", type=int, default=1, help="passes over the training examples")
    optim.add_argument("--warmup-ratio", type=float, default=0.03,
                       help="share of the optimizer steps spent warming the learning rate up")
    optim.add_argument("--weight-decay", type=float, default=0.0, help="AdamW weight decay")
    optim.add_argument("--max-grad-norm", type=float, default=1.0, help="gradient clipping norm (0 = off)")
    optim.add_argument("--gradient-checkpointing", action=argparse.BooleanOptionalAction, default=True,
                       help="recompute each layer's activations in the backward pass instead of keeping them")
    optim.add_argument("--seed", type=int, default=42, help="random seed (data order, LoRA init)")

    lora = parser.add_argument_group("LoRA")
    lora.add_argument("--lora", action=argparse.BooleanOptionalAction, default=True,
                      help="train LoRA adapters instead of all weights (--no-lora needs a 40 GB GPU: about 28 GiB)")
    lora.add_argument("--lora-rank", type=int, default=16, help="rank of the adapter matrices")
    lora.add_argument("--lora-alpha", type=int, default=32, help="scaling of the adapter output")
    lora.add_argument("--lora-dropout", type=float, default=0.05, help="dropout on the adapter input")

    run = parser.add_argument_group("run")
    run.add_argument("--num-workers", type=int, default=4, help="training workers, one GPU each")
    run.add_argument("--run-name", default="llama-3.2-1b-sft",
                     help="name of the Ray Train run; tags the metrics (label `run`) and the results folder")
    run.add_argument("--log-every", type=int, default=10, help="optimizer steps between progress reports")
    run.add_argument("--storage-path", default=LOCAL_STORAGE_PATH,
                     help="where Ray Train keeps run state and checkpoints; --save-model needs storage every "
                          "pod reaches (s3://..., gs://..., or a shared volume every pod mounts)")
    run.add_argument("--save-model", action=argparse.BooleanOptionalAction, default=False,
                     help="save the fine-tuned adapter (or model) as a Ray Train checkpoint at the end")

    args = parser.parse_args(argv)
    problems = validate(args)
    if problems:
        parser.error("; ".join(problems))
    return args


def validate(args: argparse.Namespace) -> list[str]:
    """Messages for values that cannot work, each naming its flag."""
    problems = []
    positive = ["batch_size", "gradient_accumulation_steps", "epochs", "max_seq_length", "num_workers",
                "log_every", "lora_rank", "lora_alpha"]
    for name in positive:
        if getattr(args, name) <= 0:
            problems.append(f"--{name.replace('_', '-')} must be > 0 (got {getattr(args, name)})")
    if args.learning_rate <= 0:
        problems.append(f"--learning-rate must be > 0 (got {args.learning_rate})")
    if args.max_train_samples < 0:
        problems.append(f"--max-train-samples must be >= 0 (got {args.max_train_samples})")
    if not 0 < args.eval_fraction < 1:
        problems.append(f"--eval-fraction must be between 0 and 1 (got {args.eval_fraction})")
    if not 0 <= args.warmup_ratio < 1:
        problems.append(f"--warmup-ratio must be in [0, 1) (got {args.warmup_ratio})")
    if not 0 <= args.lora_dropout < 1:
        problems.append(f"--lora-dropout must be in [0, 1) (got {args.lora_dropout})")
    if args.save_model and not is_shared_storage(args.storage_path):
        problems.append(f"--save-model needs --storage-path on storage every Ray pod reaches (s3://..., gs://..., "
                        f"or a shared volume); {args.storage_path} is on each pod's own disk")
    return problems


def is_shared_storage(path: str) -> bool:
    """Whether Ray Train can use `path` from every node: a URI, or a path outside the pods' own /tmp volume."""
    if "://" in path:
        return not path.startswith("file://")
    return path.startswith("/") and path != "/tmp" and not path.startswith("/tmp/")


def configure_logging(rank: str = "driver") -> None:
    """Log lines to stderr, each naming the process's rank in the run (or `driver`)."""
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s rank=%(rank)s %(message)s",
        force=True,
    )
    old_factory = logging.getLogRecordFactory()

    def factory(*a: Any, **kw: Any) -> logging.LogRecord:
        record = old_factory(*a, **kw)
        record.rank = rank
        return record

    logging.setLogRecordFactory(factory)


# ---------------------------------------------------------------------------------------------------------------
# Data: instruction / context / response rows -> chat-formatted token ids with the prompt masked out of the loss
# ---------------------------------------------------------------------------------------------------------------

def to_messages(row: dict[str, Any]) -> list[dict[str, str]]:
    """One dataset row as a user turn (instruction plus optional context) and an assistant turn (response)."""
    prompt = row["instruction"].strip()
    context = (row.get("context") or "").strip()
    if context:
        prompt = f"{prompt}\n\n{context}"
    return [{"role": "user", "content": prompt}, {"role": "assistant", "content": row["response"].strip()}]


def encode(tokenizer: Any, row: dict[str, Any], max_seq_length: int) -> dict[str, list[int]]:
    """Token ids and labels of one example; only the response's tokens count towards the loss."""
    messages = to_messages(row)
    if tokenizer.chat_template:
        prompt_ids = tokenizer.apply_chat_template(messages[:1], add_generation_prompt=True, tokenize=True)
        full_ids = tokenizer.apply_chat_template(messages, tokenize=True)
    else:  # base models without a chat template: a plain instruction format
        prompt_text = f"### Instruction:\n{messages[0]['content']}\n\n### Response:\n"
        prompt_ids = tokenizer(prompt_text, add_special_tokens=True)["input_ids"]
        full_ids = prompt_ids + tokenizer(messages[1]["content"], add_special_tokens=False)["input_ids"]
        full_ids.append(tokenizer.eos_token_id)
    input_ids = full_ids[:max_seq_length]
    labels = ([IGNORE_INDEX] * len(prompt_ids) + full_ids[len(prompt_ids):])[:max_seq_length]
    return {"input_ids": input_ids, "labels": labels}


def collate(batch: list[dict[str, list[int]]], pad_id: int) -> dict[str, Any]:
    import torch

    width = max(len(example["input_ids"]) for example in batch)
    input_ids, labels, attention = [], [], []
    for example in batch:
        pad = width - len(example["input_ids"])
        input_ids.append(example["input_ids"] + [pad_id] * pad)
        labels.append(example["labels"] + [IGNORE_INDEX] * pad)
        attention.append([1] * len(example["input_ids"]) + [0] * pad)
    return {
        "input_ids": torch.tensor(input_ids, dtype=torch.long),
        "labels": torch.tensor(labels, dtype=torch.long),
        "attention_mask": torch.tensor(attention, dtype=torch.long),
    }


def load_examples(config: dict[str, Any], tokenizer: Any) -> tuple[list[dict], list[dict]]:
    """Train and eval examples, tokenized; identical on every worker (same seed), sharded later by the sampler."""
    from datasets import load_dataset

    rows = load_dataset(config["dataset"], split="train").shuffle(seed=config["seed"])
    if config["max_train_samples"]:
        rows = rows.select(range(min(config["max_train_samples"], len(rows))))
    examples = [encode(tokenizer, row, config["max_seq_length"]) for row in rows]
    examples = [e for e in examples if any(label != IGNORE_INDEX for label in e["labels"])]
    n_eval = max(1, int(len(examples) * config["eval_fraction"]))
    return examples[n_eval:], examples[:n_eval]


# ---------------------------------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------------------------------

def build_model(config: dict[str, Any]) -> Any:
    import torch
    from transformers import AutoModelForCausalLM

    # LoRA keeps the frozen base in bf16; full fine-tuning keeps fp32 master weights (autocast runs in bf16).
    dtype = torch.bfloat16 if config["lora"] else torch.float32
    model = AutoModelForCausalLM.from_pretrained(config["model_id"], torch_dtype=dtype)
    if config["gradient_checkpointing"]:
        # Non-reentrant checkpointing works under DDP with frozen base weights (the reentrant variant can mark a
        # LoRA parameter ready twice).
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        model.config.use_cache = False
    if config["lora"]:
        from peft import LoraConfig, get_peft_model

        if config["gradient_checkpointing"]:
            model.enable_input_require_grads()
        model = get_peft_model(model, LoraConfig(
            r=config["lora_rank"],
            lora_alpha=config["lora_alpha"],
            lora_dropout=config["lora_dropout"],
            target_modules=LORA_TARGET_MODULES,
            task_type="CAUSAL_LM",
        ))
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    LOG.info("model %s: %d of %d parameters trainable (%.2f%%)", config["model_id"], trainable, total,
             100.0 * trainable / total)
    return model


# ---------------------------------------------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------------------------------------------

class RunMetrics:
    """Prometheus gauges exported by Ray's metrics agent (as ray_finetune_*), set by the rank-0 worker."""

    def __init__(self, run_name: str) -> None:
        from ray.util.metrics import Gauge

        tags = ("run",)
        self._default_tags = {"run": run_name}
        self._gauges = {
            name: Gauge(f"finetune_{name}", description=description, tag_keys=tags)
            for name, description in {
                "loss": "Training loss (mean over workers) of the last reporting window.",
                "eval_loss": "Loss on the held-out examples, measured after every epoch.",
                "learning_rate": "Learning rate of the last optimizer step.",
                "tokens_per_second": "Training tokens (all workers) processed per second in the last window.",
                "epoch": "Current epoch (1-based).",
                "step": "Optimizer steps taken so far.",
            }.items()
        }
        for gauge in self._gauges.values():
            gauge.set_default_tags(self._default_tags)

    def set(self, **values: float) -> None:
        for name, value in values.items():
            self._gauges[name].set(float(value))


def global_mean(value: float, count: float) -> float:
    """Mean of value/count across all workers (sum of values over sum of counts)."""
    import torch
    import torch.distributed as dist

    device = "cuda" if torch.cuda.is_available() else "cpu"
    totals = torch.tensor([value, count], dtype=torch.float64, device=device)
    if dist.is_available() and dist.is_initialized():
        dist.all_reduce(totals)
    return (totals[0] / totals[1]).item() if totals[1] > 0 else float("nan")


def global_sum(value: float) -> float:
    import torch
    import torch.distributed as dist

    device = "cuda" if torch.cuda.is_available() else "cpu"
    total = torch.tensor([value], dtype=torch.float64, device=device)
    if dist.is_available() and dist.is_initialized():
        dist.all_reduce(total)
    return total.item()


# ---------------------------------------------------------------------------------------------------------------
# The training loop every worker runs
# ---------------------------------------------------------------------------------------------------------------

def train_loop_per_worker(config: dict[str, Any]) -> None:
    import torch
    from torch.utils.data import DataLoader
    from transformers import AutoTokenizer, get_cosine_schedule_with_warmup

    import ray.train
    import ray.train.torch

    context = ray.train.get_context()
    rank, world_size = context.get_world_rank(), context.get_world_size()
    configure_logging(str(rank))
    random.seed(config["seed"])
    torch.manual_seed(config["seed"])

    tokenizer = AutoTokenizer.from_pretrained(config["model_id"])
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    train_examples, eval_examples = load_examples(config, tokenizer)
    LOG.info("%d training and %d eval examples, %d workers", len(train_examples), len(eval_examples), world_size)

    def loader(examples: list[dict], shuffle: bool) -> DataLoader:
        data = DataLoader(examples, batch_size=config["batch_size"], shuffle=shuffle,
                          collate_fn=lambda batch: collate(batch, tokenizer.pad_token_id))
        return ray.train.torch.prepare_data_loader(data)  # adds a DistributedSampler, moves batches to the GPU

    train_loader, eval_loader = loader(train_examples, True), loader(eval_examples, False)
    model = ray.train.torch.prepare_model(build_model(config))  # DDP on the worker's GPU

    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=config["learning_rate"], weight_decay=config["weight_decay"])
    steps_per_epoch = math.ceil(len(train_loader) / config["gradient_accumulation_steps"])
    total_steps = steps_per_epoch * config["epochs"]
    scheduler = get_cosine_schedule_with_warmup(optimizer, int(total_steps * config["warmup_ratio"]), total_steps)
    metrics = RunMetrics(config["run_name"]) if rank == 0 else None
    LOG.info("%d optimizer steps per epoch, %d in total", steps_per_epoch, total_steps)

    step = 0
    for epoch in range(1, config["epochs"] + 1):
        if world_size > 1:
            train_loader.sampler.set_epoch(epoch)
        model.train()
        window_loss, window_batches, window_tokens, window_start = 0.0, 0, 0, time.monotonic()
        for index, batch in enumerate(train_loader):
            with torch.autocast(device_type="cuda", dtype=torch.bfloat16):
                loss = model(**batch).loss / config["gradient_accumulation_steps"]
            loss.backward()
            window_loss += loss.item() * config["gradient_accumulation_steps"]
            window_batches += 1
            window_tokens += int(batch["attention_mask"].sum().item())
            last_of_epoch = index + 1 == len(train_loader)
            if (index + 1) % config["gradient_accumulation_steps"] and not last_of_epoch:
                continue
            if config["max_grad_norm"] > 0:
                torch.nn.utils.clip_grad_norm_(params, config["max_grad_norm"])
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            if step % config["log_every"] == 0 or last_of_epoch:
                report = {
                    "epoch": epoch,
                    "step": step,
                    "loss": global_mean(window_loss, window_batches),
                    "learning_rate": scheduler.get_last_lr()[0],
                    "tokens_per_second": global_sum(window_tokens) / max(time.monotonic() - window_start, 1e-9),
                }
                if metrics:
                    metrics.set(**report)
                    LOG.info("epoch %d step %d/%d loss %.4f lr %.2e tokens/s %.0f", epoch, step, total_steps,
                             report["loss"], report["learning_rate"], report["tokens_per_second"])
                ray.train.report(report)
                window_loss, window_batches, window_tokens, window_start = 0.0, 0, 0, time.monotonic()

        eval_loss = evaluate(model, eval_loader)
        if metrics:
            metrics.set(eval_loss=eval_loss)
            LOG.info("epoch %d eval loss %.4f", epoch, eval_loss)
        final = config["save_model"] and epoch == config["epochs"]
        report_epoch(model, tokenizer, {"epoch": epoch, "step": step, "eval_loss": eval_loss}, rank,
                     save=final)


def evaluate(model: Any, eval_loader: Any) -> float:
    import torch

    model.eval()
    total, batches = 0.0, 0
    with torch.no_grad():
        for batch in eval_loader:
            with torch.autocast(device_type="cuda", dtype=torch.bfloat16):
                total += model(**batch).loss.item()
            batches += 1
    model.train()
    return global_mean(total, batches)


def report_epoch(model: Any, tokenizer: Any, values: dict[str, float], rank: int, save: bool) -> None:
    """Reports the epoch's metrics; with save, rank 0 attaches the adapter (or model) as a checkpoint."""
    import ray.train

    if not (save and rank == 0):
        ray.train.report(values)
        return
    with tempfile.TemporaryDirectory() as directory:
        unwrapped = model.module if hasattr(model, "module") else model
        unwrapped.save_pretrained(directory)
        tokenizer.save_pretrained(directory)
        ray.train.report(values, checkpoint=ray.train.Checkpoint.from_directory(directory))


def main(argv: list[str] | None = None) -> None:
    configure_logging()
    args = parse_args(argv)

    import ray.train
    from ray.train.torch import TorchTrainer

    LOG.info("starting run %s with %s", args.run_name, vars(args))
    trainer = TorchTrainer(
        train_loop_per_worker,
        train_loop_config=vars(args),
        scaling_config=ray.train.ScalingConfig(num_workers=args.num_workers, use_gpu=True),
        run_config=ray.train.RunConfig(name=args.run_name, storage_path=args.storage_path),
    )
    result = trainer.fit()
    LOG.info("run %s finished: %s", args.run_name, result.metrics)
    if result.checkpoint:
        LOG.info("checkpoint: %s", result.checkpoint.path)


if __name__ == "__main__":
    main()
