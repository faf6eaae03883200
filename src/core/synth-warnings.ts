/**
 * Warnings a construct gives at synth time (something works, but not fully, with the props given), kept as construct
 * metadata so that a library user finds them on the tree and the app prints them (app/main.ts).
 * @module
 */
import type { IConstruct } from 'constructs';

/** The metadata type synth warnings are stored under. */
export const SYNTH_WARNING_METADATA = 'aiml-observability:warning';

/** Records a synth-time warning on `scope` (a construct path is prefixed when read back with {@link synthWarnings}). */
export function addSynthWarning(scope: IConstruct, message: string): void {
  scope.node.addMetadata(SYNTH_WARNING_METADATA, message);
}

/** Every synth warning under `root`, as `<construct path>: <message>`, in tree order. */
export function synthWarnings(root: IConstruct): string[] {
  return root.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === SYNTH_WARNING_METADATA).map((m) => `${c.node.path}: ${String(m.data)}`));
}
