/**
 * Memory per GPU when training with mixed-precision Adam, under data parallelism with ZeRO (Rajbhandari et al. 2020):
 * Ψ parameters cost 2Ψ bytes of float16 weights, 2Ψ bytes of float16 gradients and KΨ bytes of optimizer state
 * (K = 12: float32 master weights, momentum and variance). Across N data-parallel GPUs,
 *
 *   plain data parallelism   (2 + 2 + K)·Ψ            every GPU holds everything
 *   ZeRO stage 1 (P_os)      (2 + 2)·Ψ + K·Ψ/N        optimizer state sharded
 *   ZeRO stage 2 (P_os+g)    2Ψ + (2 + K)·Ψ/N         and gradients
 *   ZeRO stage 3 (P_os+g+p)  (2 + 2 + K)·Ψ/N          and the parameters themselves
 *
 * Activations, buffers and fragmentation are not counted (as in the paper's Figure 1).
 *   zeroMemoryBytes(7.5e9, 64, 1);   // 31.4 GB (the paper: 31.4 GB)
 */
export type ZeroStage = 0 | 1 | 2 | 3;

export function zeroMemoryBytes(parameters: number, devices: number, stage: ZeroStage, optimizerBytesPerParameter = 12): number {
  if (!(parameters > 0)) throw new RangeError(`zeroMemoryBytes: parameters must be positive, got ${parameters}`);
  if (!Number.isInteger(devices) || devices < 1) throw new RangeError(`zeroMemoryBytes: devices must be an integer ≥ 1, got ${devices}`);
  if (![0, 1, 2, 3].includes(stage)) throw new RangeError(`zeroMemoryBytes: stage must be 0, 1, 2 or 3, got ${stage}`);
  const K = optimizerBytesPerParameter;
  const weights = stage >= 3 ? 2 / devices : 2;
  const gradients = stage >= 2 ? 2 / devices : 2;
  const optimizer = stage >= 1 ? K / devices : K;
  return (weights + gradients + optimizer) * parameters;
}
