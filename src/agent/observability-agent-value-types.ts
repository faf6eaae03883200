import { z } from 'zod';
import { cidr, dnsLabel, labelKey, labelValue, numberIn, objectName, oneOf, patterned, pinnedImage } from '../core/value-types.js';
import { AGENT_PROVIDERS } from './agent-web-contract.js';

/** The values {@link ObservabilityAgentProps} accept (the config file's keys use the same types). */
export const OBSERVABILITY_AGENT_VALUE_TYPES = {
  image: pinnedImage,
  provider: oneOf(AGENT_PROVIDERS),
  model: patterned(/^\S{1,256}$/, 'must be a model id: no spaces, at most 256 characters, e.g. us.anthropic.claude-sonnet-4-20250514-v1:0 or qwen3-32b'),
  region: patterned(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-west-2'),
  endpoint: patterned(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'must be an http(s) URL without query or fragment, e.g. http://vllm.ml-inference.svc:8000/v1'),
  secretName: objectName,
  iamRoleArn: patterned(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/agent'),
  egressCidrs: z.array(cidr).min(1, { error: 'give at least one CIDR' }),
  egressNamespace: dnsLabel(),
  egressPodLabels: z.record(labelKey, labelValue),
  maxSteps: numberIn(1, 50, { int: true }),
} as const;
