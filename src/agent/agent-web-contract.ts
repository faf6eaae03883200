/**
 * What the web chat (`aiml-observability agent serve`) and the ObservabilityAgent construct that deploys it agree
 * on: its port, its probe paths, where the audit log goes. No AI SDK import: the construct (and so the package
 * barrel) reads this file.
 */

/** Port the web chat listens on, in the container and behind its Service. */
export const AGENT_WEB_PORT = 8080;

/** Probe paths: the process answers (liveness); the MCP servers were reached (readiness). */
export const AGENT_HEALTH_PATHS = { liveness: '/healthz', readiness: '/readyz' } as const;

/** The command line the image's entrypoint (`aiml-observability`) is given to serve the chat. */
export const AGENT_SERVE_COMMAND = ['agent', 'serve'] as const;

/** The LLM providers the agent speaks (see providers.ts). */
export const AGENT_PROVIDERS = ['bedrock', 'openai-compatible'] as const;

/** One of {@link AGENT_PROVIDERS}. */
export type AgentProvider = (typeof AGENT_PROVIDERS)[number];

/** The `log` field of an audit line (one per tool call). */
export const AGENT_AUDIT_LOG_NAME = 'aiml-observability-agent.tool-call';

/** User id the agent's image runs as (`USER` in the repository's Dockerfile: the node image's `node` user). */
export const AGENT_IMAGE_UID = 1000;

/** Environment variable the OpenAI-compatible endpoint's key is given in (from a Secret), named by `--api-key-env`. */
export const AGENT_API_KEY_ENV = 'AGENT_LLM_API_KEY';
