/** The diagnosis agent: MCP connections, tool policy, audit log, the loop and its generated system prompt. */
export { McpServerConnection, connectAll, type McpServerUrl, type McpToolInfo, type McpToolOutput, type McpTransportKind, type McpConnectOptions } from './mcp-connection.js';
export { ToolPolicy, DEFAULT_READ_ONLY_ALLOWLIST, targetNamespaces, type ToolPolicyProps, type ToolDecision } from './tool-policy.js';
export { AuditLog, type AuditSink, type ToolCallRecord, type ToolCallOutcome } from './audit-log.js';
export { toolResultForModel, summarizeOutput, TOOL_DATA_NOTE, NARROWING_HINTS, type ToolResultForModel } from './tool-output.js';
export {
  buildAgentTools,
  offeredTools,
  modelToolName,
  DEFAULT_MAX_RESULT_BYTES,
  type AgentEvent,
  type ApproveWrite,
  type WriteApprovalRequest,
  type OfferedTool,
  type WithheldTool,
  type ToolLimits,
  type AgentToolsInput,
  type ToolCallContext,
} from './agent-tools.js';
export { DiagnosisAgent, DEFAULT_MAX_STEPS, type DiagnosisAgentProps, type ConversationTurn, type AskOptions, type AgentAnswer } from './diagnosis-agent.js';
export { createLanguageModel, PROVIDERS, type ProviderConfig, type BedrockProviderConfig, type OpenAiCompatibleProviderConfig } from './providers.js';
export { diagnosisPlaybooks, eachSeries, type Playbook, type PlaybookStep, type PlaybookServer, type PlaybookThresholds } from './playbooks.js';
export { diagnosisSystemPrompt, stackKnowledge, promqlOfKnowledge, type StackKnowledge, type StackKnowledgeOptions, type DashboardKnowledge } from './system-prompt.js';
