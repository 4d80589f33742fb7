/**
 * Small dense linear algebra in float64 for closed-form answers (normal equations, least squares, Hessian
 * eigenvalues, PCA). Row-major `number[][]`. Sizes in these notebooks are tiny, so clarity beats blocking tricks;
 * TensorFlow.js (float32) is the thing these closed forms are compared against.
 */
export type Matrix = number[][];
export type Vector = number[];

export function shapeOf(a: Matrix, name = "matrix"): [number, number] {
  const rows = a.length;
  const cols = rows === 0 ? 0 : a[0]!.length;
  a.forEach((row, i) => {
    if (row.length !== cols) throw new RangeError(`${name} is ragged: row 0 has ${cols} columns, row ${i} has ${row.length}`);
  });
  return [rows, cols];
}

export function transpose(a: Matrix): Matrix {
  const [rows, cols] = shapeOf(a);
  return Array.from({ length: cols }, (_, j) => Array.from({ length: rows }, (_, i) => a[i]![j]!));
}

export function matMul(a: Matrix, b: Matrix): Matrix {
  const [n, k] = shapeOf(a, "a");
  const [k2, m] = shapeOf(b, "b");
  if (k !== k2) throw new RangeError(`matMul: a is ${n}×${k} but b is ${k2}×${m}`);
  return a.map((row) => Array.from({ length: m }, (_, j) => row.reduce((s, v, t) => s + v * b[t]![j]!, 0)));
}

export function matVec(a: Matrix, x: Vector): Vector {
  const [, k] = shapeOf(a, "a");
  if (k !== x.length) throw new RangeError(`matVec: a has ${k} columns but x has ${x.length} entries`);
  return a.map((row) => row.reduce((s, v, t) => s + v * x[t]!, 0));
}

export function dot(x: Vector, y: Vector): number {
  if (x.length !== y.length) throw new RangeError(`dot: lengths ${x.length} and ${y.length} differ`);
  return x.reduce((s, v, i) => s + v * y[i]!, 0);
}

export function identity(n: number): Matrix {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

/** Solves A x = b by Gaussian elimination with partial pivoting; a singular A is an error. */
export function solve(a: Matrix, b: Vector): Vector {
  const [n, m] = shapeOf(a, "A");
  if (n !== m) throw new RangeError(`solve: A must be square, got ${n}×${m}`);
  if (b.length !== n) throw new RangeError(`solve: A is ${n}×${n} but b has ${b.length} entries`);
  const rows = a.map((row, i) => [...row, b[i]!]);
  const scale = Math.max(...a.flat().map(Math.abs), Number.MIN_VALUE);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(rows[r]![col]!) > Math.abs(rows[pivot]![col]!)) pivot = r;
    if (Math.abs(rows[pivot]![col]!) <= 1e-12 * scale) throw new RangeError(`solve: A is singular (no pivot in column ${col})`);
    [rows[col], rows[pivot]] = [rows[pivot]!, rows[col]!];
    const p = rows[col]!;
    for (let r = col + 1; r < n; r++) {
      const row = rows[r]!;
      const factor = row[col]! / p[col]!;
      for (let c = col; c <= n; c++) row[c]! -= factor * p[c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    const row = rows[i]!;
    let s = row[n]!;
    for (let j = i + 1; j < n; j++) s -= row[j]! * x[j]!;
    x[i] = s / row[i]!;
  }
  return x;
}

/**
 * Eigenvalues (ascending) and unit eigenvectors (columns) of a symmetric matrix by cyclic Jacobi
 * rotations: slow for big matrices, exact to float64 round-off for the small ones here.
 */
export function symmetricEigen(a: Matrix): { values: Vector; vectors: Matrix } {
  const [n, m] = shapeOf(a, "A");
  if (n !== m) throw new RangeError(`symmetricEigen: A must be square, got ${n}×${m}`);
  // Loops, not Math.max(...spread): a spread of n² arguments overflows the call stack from n ≈ 350.
  let asymmetry = 0, size = Number.MIN_VALUE;
  a.forEach((row, i) => row.forEach((v, j) => {
    asymmetry = Math.max(asymmetry, Math.abs(v - a[j]![i]!));
    size = Math.max(size, Math.abs(v));
  }));
  if (asymmetry > 1e-10 * size) throw new RangeError(`symmetricEigen: A is not symmetric (max |A - Aᵀ| = ${asymmetry})`);
  const d = a.map((row) => [...row]);
  const v = identity(n);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += d[p]![q]! ** 2;
    if (off <= 1e-30 * size * size) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = d[p]![q]!;
        if (apq === 0) continue;
        const theta = (d[q]![q]! - d[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const dkp = d[k]![p]!;
          const dkq = d[k]![q]!;
          d[k]![p] = c * dkp - s * dkq;
          d[k]![q] = s * dkp + c * dkq;
        }
        for (let k = 0; k < n; k++) {
          const dpk = d[p]![k]!;
          const dqk = d[q]![k]!;
          d[p]![k] = c * dpk - s * dqk;
          d[q]![k] = s * dpk + c * dqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[i]![i]! - d[j]![j]!);
  return { values: order.map((i) => d[i]![i]!), vectors: v.map((row) => order.map((i) => row[i]!)) };
}

/**
 * An orthonormal basis of A's column space, column for column as A's (the Q of a thin QR): modified Gram–Schmidt,
 * each column orthogonalised twice ("twice is enough", Giraud et al. 2005), so Qᵀ·Q = I to round-off even when
 * A's columns are nearly dependent. A column that depends on the earlier ones to round-off gets a zero column.
 */
export function orthonormalColumns(a: Matrix): Matrix {
  const [rows, cols] = shapeOf(a, "A");
  const q = a.map((row) => [...row]);
  const scale = q.reduce((m, row) => row.reduce((mr, v) => Math.max(mr, Math.abs(v)), m), Number.MIN_VALUE);
  for (let j = 0; j < cols; j++) {
    const before = Math.sqrt(q.reduce((sum, row) => sum + row[j]! ** 2, 0));
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let projection = 0;
        for (let i = 0; i < rows; i++) projection += q[i]![k]! * q[i]![j]!;
        for (let i = 0; i < rows; i++) q[i]![j] = q[i]![j]! - projection * q[i]![k]!;
      }
    }
    const norm = Math.sqrt(q.reduce((sum, row) => sum + row[j]! ** 2, 0));
    const dependent = norm <= 1e-12 * Math.max(before, scale);
    for (let i = 0; i < rows; i++) q[i]![j] = dependent ? 0 : q[i]![j]! / norm;
  }
  return q;
}

/**
 * Thin singular value decomposition A = U·diag(s)·Vᵀ by one-sided Jacobi rotations (Hestenes): s descending,
 * U [rows][r] and V [cols][r] with orthonormal columns, r = min(rows, cols) (U's column is 0 where s is 0,
 * in the rows ≥ cols case). It works on A itself, never on
 * AᵀA, so small singular values keep their relative accuracy (ill-conditioned polynomial features need that).
 */
export function svd(a: Matrix): { u: Matrix; s: Vector; v: Matrix } {
  const [rows, cols] = shapeOf(a, "A");
  if (rows === 0 || cols === 0) throw new RangeError(`svd: A must be non-empty, got ${rows}×${cols}`);
  if (rows < cols) {
    const t = svd(transpose(a));
    return { u: t.v, s: t.s, v: t.u };
  }
  const w = transpose(a); // work on columns as rows: w[j] is column j of A
  const v = identity(cols);
  for (let sweep = 0; sweep < 100; sweep++) {
    let rotated = false;
    for (let p = 0; p < cols; p++) {
      for (let q = p + 1; q < cols; q++) {
        const alpha = dot(w[p]!, w[p]!);
        const beta = dot(w[q]!, w[q]!);
        const gamma = dot(w[p]!, w[q]!);
        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        // The rotation that makes columns p and q orthogonal (the 2×2 symmetric eigenproblem of their Gram matrix).
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (const m of [w, v]) {
          const [mp, mq] = [m[p]!, m[q]!];
          for (let k = 0; k < mp.length; k++) [mp[k], mq[k]] = [c * mp[k]! - s * mq[k]!, s * mp[k]! + c * mq[k]!];
        }
      }
    }
    if (!rotated) break;
  }
  const norms = w.map((col) => Math.sqrt(dot(col, col)));
  const order = norms.map((_, j) => j).sort((i, j) => norms[j]! - norms[i]!);
  const uColumns = order.map((j) => w[j]!.map((x) => (norms[j]! > 0 ? x / norms[j]! : 0)));
  return { u: transpose(uColumns), s: order.map((j) => norms[j]!), v: transpose(order.map((j) => v[j]!)) };
}

/**
 * Minimum-norm least squares: the x minimising ‖Ax − b‖ that has the smallest ‖x‖ (numpy.linalg.lstsq),
 * via the SVD. Singular values below rcond·s_max count as zero; the default rcond = ε·max(rows, cols)
 * is numpy's.
 */
export function leastSquares(a: Matrix, b: Vector, rcond?: number): Vector {
  const [rows, cols] = shapeOf(a, "A");
  if (b.length !== rows) throw new RangeError(`leastSquares: A is ${rows}×${cols} but b has ${b.length} entries`);
  const { u, s, v } = svd(a);
  const cutoff = (rcond ?? Number.EPSILON * Math.max(rows, cols)) * s[0]!;
  const x = new Array<number>(cols).fill(0);
  s.forEach((sigma, k) => {
    if (sigma <= cutoff) return;
    const coefficient = u.reduce((acc, row, i) => acc + row[k]! * b[i]!, 0) / sigma;
    v.forEach((row, j) => (x[j]! += coefficient * row[k]!));
  });
  return x;
}
