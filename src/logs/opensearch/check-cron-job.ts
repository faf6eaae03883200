import { k8s } from 'cdk8s-plus-30';
import type { Construct } from 'constructs';

/** A check that runs on a schedule: one run at a time, no retry (the next run is the retry), one finished Job kept. */
export interface CheckCronJobProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly schedule: string;
  /** How late a missed run may still start. */
  readonly startingDeadlineSeconds: number;
  readonly template: k8s.PodTemplateSpec;
}

/** Adds the CronJob of a {@link CheckCronJobProps} check; its last success is what the alerts read (kube-state-metrics). */
export function addCheckCronJob(scope: Construct, id: string, props: CheckCronJobProps): k8s.KubeCronJob {
  return new k8s.KubeCronJob(scope, id, {
    metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
    spec: {
      schedule: props.schedule,
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: props.startingDeadlineSeconds,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 1,
      jobTemplate: { spec: { backoffLimit: 0, activeDeadlineSeconds: 600, template: props.template } },
    },
  });
}
