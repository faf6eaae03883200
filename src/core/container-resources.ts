/**
 * ResourceSpec (the strings every construct takes) as cdk8s-plus container resources, exactly or not at all.
 * @module
 */
import { Size } from 'cdk8s';
import { type ContainerResources, Cpu } from 'cdk8s-plus-30';
import type { ResourceSpec } from './security.js';

const CPU = /^(\d+)m$|^(\d+(?:\.\d+)?)$/;
const MEMORY = /^(\d+)(Ki|Mi|Gi|Ti)$/;
const MEMORY_UNITS = { Ki: Size.kibibytes, Mi: Size.mebibytes, Gi: Size.gibibytes, Ti: Size.tebibytes } as const;

function cpu(field: string, quantity: string): Cpu {
  const match = CPU.exec(quantity);
  if (!match) throw new Error(`${field}: '${quantity}' is not a CPU quantity such as 250m or 0.5`);
  return match[1] !== undefined ? Cpu.millis(Number(match[1])) : Cpu.units(Number(match[2]));
}

function memory(field: string, quantity: string): Size {
  const match = MEMORY.exec(quantity);
  const size = match ? MEMORY_UNITS[match[2] as keyof typeof MEMORY_UNITS](Number(match[1])) : undefined;
  // cdk8s-plus writes memory in whole MiB.
  if (!size || !Number.isInteger(size.toKibibytes() / 1024)) {
    throw new Error(`${field}: '${quantity}' is not a memory quantity in whole MiB with a binary suffix, such as 256Mi or 1Gi`);
  }
  return size;
}

/** A {@link ResourceSpec} as cdk8s-plus container resources; throws, naming the field, on a quantity it cannot write exactly. */
export function containerResources(spec: ResourceSpec): ContainerResources {
  return {
    cpu: { request: cpu('resources.requests.cpu', spec.requests.cpu), limit: cpu('resources.limits.cpu', spec.limits.cpu) },
    memory: { request: memory('resources.requests.memory', spec.requests.memory), limit: memory('resources.limits.memory', spec.limits.memory) },
  };
}
