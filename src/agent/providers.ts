import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import { AGENT_PROVIDERS } from './agent-web-contract.js';

/** AWS Bedrock, with credentials from the standard AWS provider chain. */
export interface BedrockProviderConfig {
  readonly provider: 'bedrock';
  /** Bedrock model or inference-profile id, e.g. `us.anthropic.claude-sonnet-4-20250514-v1:0`. Required: no default bills anyone. */
  readonly modelId: string;
  /** AWS region. @default AWS_REGION, then AWS_DEFAULT_REGION; required one way or the other */
  readonly region?: string;
  /** Named profile of the shared AWS config (SSO, assume-role, ...). @default AWS_PROFILE or the default profile */
  readonly profile?: string;
  /** Bedrock runtime endpoint override (a VPC endpoint, or a local stand-in in tests). @default the region's endpoint */
  readonly endpoint?: string;
}

/** Any endpoint that speaks the OpenAI chat-completions API: vLLM (in the cluster), LiteLLM, Ollama, ... */
export interface OpenAiCompatibleProviderConfig {
  readonly provider: 'openai-compatible';
  /** Model name as the endpoint knows it (vLLM: `--served-model-name`, or the model path). Required. */
  readonly modelId: string;
  /** Base URL ending in `/v1`, e.g. `http://vllm.ml-inference.svc:8000/v1`. */
  readonly baseURL: string;
  /** Bearer token, if the endpoint wants one (vLLM `--api-key`). @default none */
  readonly apiKey?: string;
}

/** Which model the agent talks to. */
export type ProviderConfig = BedrockProviderConfig | OpenAiCompatibleProviderConfig;

/** Providers {@link createLanguageModel} knows. */
export const PROVIDERS = AGENT_PROVIDERS;

/**
 * The language model of a provider config. Bedrock credentials come from the AWS SDK's Node.js provider chain
 * (environment, SSO and shared config profiles, web identity / IRSA, EKS Pod Identity and ECS container
 * credentials, EC2 instance metadata), resolved on the first request and refreshed when they expire.
 */
export function createLanguageModel(config: ProviderConfig, env: NodeJS.ProcessEnv = process.env): LanguageModel {
  if (!config.modelId || config.modelId.trim() === '') {
    throw new Error(`${config.provider}: a model id is required (there is no default: choose the model that is billed)`);
  }
  switch (config.provider) {
    case 'bedrock': {
      const region = config.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
      if (!region) throw new Error('bedrock: no AWS region: pass --region or set AWS_REGION');
      const bedrock = createAmazonBedrock({
        region,
        ...(config.endpoint ? { baseURL: config.endpoint } : {}),
        credentialProvider: awsCredentialChain(config.profile),
      });
      return bedrock(config.modelId);
    }
    case 'openai-compatible': {
      const url = new URL(config.baseURL);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`openai-compatible: ${config.baseURL} is not an http(s) URL`);
      const provider = createOpenAICompatible({ name: 'openai-compatible', baseURL: config.baseURL.replace(/\/+$/, ''), apiKey: config.apiKey, includeUsage: true });
      return provider.chatModel(config.modelId);
    }
    default:
      throw new Error(`unknown provider '${(config as { provider: string }).provider}'; known: ${PROVIDERS.join(', ')}`);
  }
}

/** The AWS SDK's default credential chain, loaded on first use (only Bedrock users load the AWS SDK). */
function awsCredentialChain(profile: string | undefined): () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }> {
  let chain: (() => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>) | undefined;
  return async () => {
    if (!chain) {
      const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
      chain = fromNodeProviderChain(profile ? { profile } : {});
    }
    const c = await chain();
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) };
  };
}
