/**
 * The config file's `thanosHub` key: the Thanos hub of a fleet (docs/fleet.md), with its mapping onto
 * ObservabilityChartProps.
 */
import { z } from 'zod';
import type { ObservabilityChartProps } from '../observability-chart.js';
import { THANOS_HUB_DEFAULTS, THANOS_HUB_VALUE_TYPES } from '../thanos/thanos-hub.js';
import { key, listKey, requiredKey, section } from './keys.js';

const types = THANOS_HUB_VALUE_TYPES;

/** `thanosHub`. */
export const THANOS_KEYS = {
  thanosHub: section(
    'The Thanos hub of a fleet (thanos-community chart 0.38.0, Thanos v0.42.4): Query over the leaf clusters\' sidecars and their bucket, Store Gateway, Compactor. Deployed when given; see docs/fleet.md.',
    {
      objectStorage: section('The object storage the leaves\' sidecars upload to, from a Secret you create (https://thanos.io/tip/thanos/storage.md).', {
        name: requiredKey(types.objectStorageSecret, { description: 'Secret with the object storage configuration.', example: 'thanos-objstore' }),
        key: key(types.objectStorageKey, { description: 'Key of the configuration in the Secret.', default: THANOS_HUB_DEFAULTS.objectStorageKey }),
      }),
      stores: listKey(types.store, {
        description: "Comma-separated gRPC StoreAPI endpoints (host:port) of the leaf clusters' Thanos sidecars.",
        example: 'sidecar.leaf-a.example.com:10901, sidecar.leaf-b.example.com:10901',
      }),
      retention: section('How long the Compactor keeps blocks, per resolution.', {
        raw: key(types.retention, { description: 'Raw samples.', default: THANOS_HUB_DEFAULTS.retention.raw }),
        fiveMinutes: key(types.retention, { description: '5-minute downsampled blocks.', default: THANOS_HUB_DEFAULTS.retention.fiveMinutes }),
        oneHour: key(types.retention, { description: '1-hour downsampled blocks.', default: THANOS_HUB_DEFAULTS.retention.oneHour }),
      }),
      queryReplicas: key(types.queryReplicas, { description: 'Thanos Query replicas.', default: THANOS_HUB_DEFAULTS.queryReplicas }),
    },
  ),
} as const;

const thanosConfig = z.object(THANOS_KEYS);

/** Maps `thanosHub` onto the chart's `thanosHub`. */
export function thanosConfigToProps(config: z.output<typeof thanosConfig>): Pick<ObservabilityChartProps, 'thanosHub'> {
  const hub = config.thanosHub;
  if (!hub) return {};
  return {
    thanosHub: {
      objectStorage: hub.objectStorage ?? { name: '' },
      stores: hub.stores ?? [],
      retention: hub.retention,
      queryReplicas: hub.queryReplicas,
    },
  };
}
