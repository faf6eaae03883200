/** The config file's `agent` section (the diagnosis agent's web chat) and its mapping onto ObservabilityChartProps. */
import { z } from 'zod';
import { OBSERVABILITY_AGENT_DEFAULTS } from '../agent/observability-agent.js';
import { OBSERVABILITY_AGENT_VALUE_TYPES as T } from '../agent/observability-agent-value-types.js';
import { cidr } from '../core/value-types.js';
import { ENABLED_BY_DEFAULT, type ObservabilityChartProps } from '../observability-chart.js';
import { key, listKey, section, toggle } from './keys.js';

/** `agent`. */
export const AGENT_KEYS = {
  agent: section(
    'The diagnosis agent as a web chat in the cluster (see docs/agent.md), reached by kubectl port-forward; needs mcp.enabled. Off by default.',
    {
      enabled: toggle('Deploy the agent.', ENABLED_BY_DEFAULT.agent),
      image: key(T.image, {
        description: "Required: the agent's image, built from the repository's Dockerfile and pinned (no image of this project is published).",
        example: 'registry.example.com/aiml-observability-agent:0.1.0',
      }),
      maxSteps: key(T.maxSteps, { description: 'Model calls per answer.', default: OBSERVABILITY_AGENT_DEFAULTS.maxSteps }),
      llm: section('The model the agent talks to. There is no default model.', {
        provider: key(T.provider, { description: 'Required: `bedrock` (credentials from EKS Pod Identity or IRSA) or `openai-compatible` (e.g. a vLLM in the cluster).', example: 'bedrock' }),
        model: key(T.model, { description: 'Required: the model id (Bedrock model or inference profile; the served model name).', example: 'us.anthropic.claude-sonnet-4-20250514-v1:0' }),
        region: key(T.region, { description: 'Bedrock: the AWS region (required).', example: 'us-west-2' }),
        endpoint: key(T.endpoint, {
          description: 'openai-compatible: the base URL ending in /v1 (required). bedrock: a runtime endpoint override (VPC endpoint).',
          example: 'http://vllm.ml-inference.svc:8000/v1',
        }),
        apiKeySecret: key(T.secretName, {
          description: `openai-compatible: a Secret in the stack's namespace holding the endpoint's key under \`${OBSERVABILITY_AGENT_DEFAULTS.apiKeySecretKey}\`.`,
          example: 'vllm-api-key',
        }),
        iamRoleArn: key(T.iamRoleArn, { description: 'bedrock with IRSA: the IAM role annotated on the ServiceAccount (leave out with EKS Pod Identity).', example: 'arn:aws:iam::123456789012:role/aiml-agent' }),
        egressCidr: listKey(cidr, {
          description: "Comma-separated CIDRs of the model's endpoint the agent may reach on its port (a VPC endpoint's subnets, a proxy); or egressNamespace.",
          example: '10.0.128.0/20',
        }),
        egressNamespace: key(T.egressNamespace, { description: 'For an endpoint in the cluster (a vLLM): its namespace; the agent may reach its pods on the endpoint port.', example: 'ml-inference' }),
        egressPodLabels: key(T.egressPodLabels, { description: "With egressNamespace: labels of the endpoint's pods (every pod of the namespace when absent).", example: { 'app.kubernetes.io/name': 'vllm' } }),
      }),
    },
  ),
} as const;

const agentConfig = z.object(AGENT_KEYS);

/** Maps `agent` onto the chart's `agent`. */
export function agentConfigToProps(config: z.output<typeof agentConfig>): Pick<ObservabilityChartProps, 'agent'> {
  const a = config.agent;
  if (!a) return { agent: { enabled: undefined } };
  const l = a.llm;
  return {
    agent: {
      enabled: a.enabled,
      image: a.image,
      maxSteps: a.maxSteps,
      llm: l
        ? {
            provider: l.provider!,
            model: l.model!,
            region: l.region,
            endpoint: l.endpoint,
            apiKeySecret: l.apiKeySecret,
            iamRoleArn: l.iamRoleArn,
            egressCidrs: l.egressCidr,
            egressNamespace: l.egressNamespace,
            egressPodLabels: l.egressPodLabels,
          }
        : undefined,
    },
  };
}
