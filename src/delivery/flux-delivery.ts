import type { Construct } from 'constructs';
import { HelmRelease, HelmReleaseSpecChartSpecSourceRefKind, HelmReleaseSpecInstallCrds, HelmReleaseSpecUpgradeCrds } from '../../imports/helm.toolkit.fluxcd.io.js';
import { HelmRepository } from '../../imports/source.toolkit.fluxcd.io.js';
import type { ChartDelivery } from '../core/chart-delivery.js';
import type { UpstreamChartRelease } from '../core/upstream-chart.js';
import { checkProp, goDuration } from '../core/value-types.js';

/** How often Flux reconciles unless told otherwise. */
export const DEFAULT_FLUX_INTERVAL = '30m';

/** The annotation Helm honours on uninstall: objects carrying it are left in the cluster. */
export const HELM_KEEP_ANNOTATION = { 'helm.sh/resource-policy': 'keep' } as const;

/** A kustomize patch that marks every CRD a release renders as kept on uninstall (the name is ignored with a target). */
const KEEP_CRDS_ON_UNINSTALL = {
  target: { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' },
  patch: JSON.stringify({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'any', annotations: HELM_KEEP_ANNOTATION },
  }),
};

/** Options of the `flux` delivery mode. */
export interface FluxDeliveryProps {
  /**
   * How often Flux reconciles the repositories and releases (a duration such as 30m or 1h).
   * @default {@link DEFAULT_FLUX_INTERVAL}
   */
  readonly interval?: string;
}

/**
 * Delivers each chart as a Flux `HelmRepository` plus `HelmRelease` in the release's namespace.
 * CRDs are created and replaced on upgrade (`CreateReplace`), so operator upgrades bring their CRDs along.
 */
export class FluxDelivery implements ChartDelivery {
  public readonly mode = 'flux' as const;
  private readonly interval: string;
  private readonly repositories = new Set<string>();

  constructor(props: FluxDeliveryProps = {}) {
    this.interval = checkProp(goDuration, props.interval ?? DEFAULT_FLUX_INTERVAL, 'interval');
  }

  public deliver(scope: Construct, id: string, release: UpstreamChartRelease): void {
    const { chart } = release;
    const repoKey = `${release.namespace}/${chart.repoName}`;
    if (!this.repositories.has(repoKey)) {
      this.repositories.add(repoKey);
      new HelmRepository(scope, `${id}-repository`, {
        metadata: { name: chart.repoName, namespace: release.namespace },
        spec: { url: chart.repoUrl, interval: this.interval },
      });
    }
    new HelmRelease(scope, id, {
      metadata: { name: release.releaseName, namespace: release.namespace },
      spec: {
        interval: this.interval,
        releaseName: release.releaseName,
        chart: {
          spec: {
            chart: chart.chart,
            version: chart.version,
            sourceRef: { kind: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name: chart.repoName, namespace: release.namespace },
          },
        },
        install: { crds: HelmReleaseSpecInstallCrds.CREATE_REPLACE },
        // Helm deletes on uninstall whatever the release rendered from templates/, and some charts ship their CRDs
        // there (opensearch-operator 2.8.0: templates/opensearch-operator-crds.yaml) — with the CRDs go the
        // OpenSearchCluster and every other custom resource. Helm skips objects annotated `helm.sh/resource-policy:
        // keep` (helm pkg/action/uninstall.go), and the post-renderer's output is what the release records.
        postRenderers: [{ kustomize: { patches: [KEEP_CRDS_ON_UNINSTALL] } }],
        upgrade: { crds: HelmReleaseSpecUpgradeCrds.CREATE_REPLACE },
        values: release.values,
      },
    });
  }
}
