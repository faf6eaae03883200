/**
 * The values the GPU constructs' props accept (exporter modes and namespaces, the neuron-monitor image, the GPU alert
 * thresholds), as zod value types the constructs check with and the config file's keys reuse. Kept apart from the construct so that the package's
 * declarations, which export the construct's module whole, name no zod type.
 */
import { PLATFORMS } from '../core/platform.js';
import { checkProp, dnsLabel, numberFrom, numberIn, oneOf, pinnedImage, prometheusDuration } from '../core/value-types.js';
import { DEFAULT_EXPORTER_MODE, EXPORTER_MODES, type ExporterMode } from './exporter-mode.js';

/** The values the exporters' shared props accept (the config file's keys use the same types). */
export const EXPORTER_VALUE_TYPES = { mode: oneOf(EXPORTER_MODES), namespace: dnsLabel(), platform: oneOf(PLATFORMS) } as const;

/** The mode, {@link DEFAULT_EXPORTER_MODE} when absent; a PropError naming `mode` when it is not an {@link ExporterMode}. */
export function checkExporterMode(mode: string | undefined): ExporterMode {
  return checkProp(EXPORTER_VALUE_TYPES.mode, mode ?? DEFAULT_EXPORTER_MODE, 'mode');
}

/** The values {@link NeuronMonitorOptions} accept (the config file's keys use the same types). */
export const NEURON_MONITOR_VALUE_TYPES = { image: pinnedImage } as const;

/** The values the GPU alert thresholds accept (the config file's keys use the same types). */
export const GPU_ALERT_VALUE_TYPES = {
  idleUtilizationPercent: numberIn(0, 100),
  idleFor: prometheusDuration,
  memoryUsedRatio: numberIn(0, 1),
  temperatureCelsius: numberIn(0, 150),
  throttleRatio: numberIn(0, 1),
  correctableEccErrorsPerHour: numberFrom(0),
} as const;
