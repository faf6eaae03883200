import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE } from '../core/component-props.js';
import type { PrometheusTarget } from '../core/prometheus-target.js';
import { GPU_RULES_NAME, type GpuAlertThresholds, gpuRuleGroups } from '../gpu/gpu-rules.js';
import { addPrometheusRule, type RuleGroupSpec } from '../core/rule-types.js';
import { VLLM_RULES_NAME, type VllmAlertThresholds, vllmRuleGroups } from '../vllm/vllm-rules.js';
import { NODE_RULES_NAME, nodeRuleGroups } from '../prometheus/node-rules.js';

/** Props of {@link ObservabilityRules}. */
export interface ObservabilityRulesProps {
  /** The Prometheus that evaluates the rules. */
  readonly prometheus: PrometheusTarget;
  /**
   * Namespace of the PrometheusRules.
   * @default "observability"
   */
  readonly namespace?: string;
  /**
   * GPU alert thresholds; `false` for no GPU rules.
   * @default the defaults of GpuAlertThresholds
   */
  readonly gpu?: GpuAlertThresholds | false;
  /**
   * vLLM alert thresholds (the TTFT SLO among them); `false` for no vLLM rules.
   * @default the defaults of VllmAlertThresholds
   */
  readonly vllm?: VllmAlertThresholds | false;
  /**
   * The node network / disk throughput records the training dashboard reads (`node-rules`); `false` for none.
   * @default true
   */
  readonly node?: boolean;
}

/**
 * The GPU and vLLM recording rules and alerts, and the node throughput records, as one PrometheusRule per domain
 * (`gpu-rules`, `vllm-rules`, `node-rules`)
 * carrying the Prometheus selector labels. Alerts carry `severity` and runbook-style annotations (`summary`,
 * `description`, `runbook`). The Ray rules come with {@link RayEndpoints}.
 */
export class ObservabilityRules extends Construct {
  /** The rule groups emitted, by PrometheusRule name. */
  public readonly groups: Readonly<Record<string, readonly RuleGroupSpec[]>>;

  constructor(scope: Construct, id: string, props: ObservabilityRulesProps) {
    super(scope, id);
    const namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const groups: Record<string, readonly RuleGroupSpec[]> = {};
    if (props.gpu !== false) groups[GPU_RULES_NAME] = gpuRuleGroups(props.gpu ?? {});
    if (props.vllm !== false) groups[VLLM_RULES_NAME] = vllmRuleGroups(props.vllm ?? {});
    if (props.node !== false) groups[NODE_RULES_NAME] = nodeRuleGroups();
    for (const [name, ruleGroups] of Object.entries(groups)) {
      addPrometheusRule(this, name, { name, namespace, prometheus: props.prometheus, groups: ruleGroups });
    }
    this.groups = groups;
  }
}
