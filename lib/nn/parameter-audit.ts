/**
 * An audit of what a custom training step will update, before it runs: every weight that must learn is in the
 * optimizer's variable list, and no weight that must stay frozen is. The S3-Q15 seed builds its head
 * `nn.Linear(768, 2)` outside the model, so `optimizer(model.parameters())` never sees it: the head stays random
 * and nothing says so. This is the check that would have said so.
 *
 *   const varList = model.trainableWeights.map((w) => w.read() as tf.Variable);
 *   const audit = auditOptimizerVariables(varList, { train: headLayers, freeze: encoder.layers });
 *   audit.missing;     // head weights the optimizer would not update ([] when right)
 *   audit.unfrozen;    // frozen-side weights it would update ([] when right)
 *
 * (`weights.ts` has the after-the-fact side: bit-identical copies of frozen weights.)
 */
import { tf } from "../tf";

export interface OptimizerAudit {
  /** Names of weights of `train` layers that are not in the variable list. */
  missing: string[];
  /** Names of weights of `freeze` layers that are in the variable list. */
  unfrozen: string[];
  /** Number of scalars the variable list updates. */
  updatedParameters: number;
}

/** Compares an optimizer's variable list with the layers that must train and the layers that must not. */
export function auditOptimizerVariables(varList: readonly tf.Variable[], layers: { train: readonly tf.layers.Layer[]; freeze?: readonly tf.layers.Layer[] }): OptimizerAudit {
  if (layers.train.length === 0) throw new RangeError("auditOptimizerVariables: layers.train is empty; name the layers whose weights must be trained");
  const ids = new Set(varList.map((v) => v.id));
  const inList = (weight: tf.LayerVariable) => ids.has((weight.read() as tf.Variable).id);
  const names = (list: readonly tf.layers.Layer[], keep: (w: tf.LayerVariable) => boolean) =>
    list.flatMap((layer) => layer.weights.filter(keep).map((w) => w.name));
  const trainWeights = layers.train.flatMap((layer) => layer.weights);
  if (trainWeights.length === 0) throw new RangeError(`auditOptimizerVariables: the layers to train (${layers.train.map((l) => l.name).join(", ")}) have no weights; build them first`);
  return {
    missing: names(layers.train, (w) => !inList(w)),
    unfrozen: names(layers.freeze ?? [], (w) => inList(w)),
    updatedParameters: varList.reduce((sum, v) => sum + v.size, 0),
  };
}
