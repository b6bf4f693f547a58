"""Loop tiling: a blocked matrix product against the naive loop order, compiled C called through ctypes (Q22).

Python loops are too slow to show a cache effect, so the C source below is compiled with the system C compiler
on first use (kept in this module, so nothing but Python files has to be packaged). Where no compiler exists,
`compile_kernels` raises RuntimeError.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

C_SOURCE = r"""
/* Matrix products in two loop orders (Q22): the naive i-j-k order walks B down its columns (cache-unfriendly);
   the tiled i-k-j order works on tile x tile blocks that stay in cache. C = A B, row-major n x n. */
void matmul_ijk(const double *A, const double *B, double *C, int n) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double s = 0.0;
            for (int k = 0; k < n; k++) s += A[i * n + k] * B[k * n + j];
            C[i * n + j] = s;
        }
}

void matmul_tiled(const double *A, const double *B, double *C, int n, int tile) {
    for (int i = 0; i < n * n; i++) C[i] = 0.0;
    for (int ii = 0; ii < n; ii += tile)
        for (int kk = 0; kk < n; kk += tile)
            for (int jj = 0; jj < n; jj += tile)
                for (int i = ii; i < ii + tile && i < n; i++)
                    for (int k = kk; k < kk + tile && k < n; k++) {
                        double a = A[i * n + k];
                        for (int j = jj; j < jj + tile && j < n; j++) C[i * n + j] += a * B[k * n + j];
                    }
}
"""

_LIBRARY: ctypes.CDLL | None = None


def compile_kernels() -> ctypes.CDLL:
    """Compile the two matrix-product kernels with -O2 (once per process) and load them (Q22)."""
    global _LIBRARY
    if _LIBRARY is None:
        compiler = shutil.which("gcc") or shutil.which("cc")
        if compiler is None:
            raise RuntimeError("no C compiler (gcc or cc) on PATH: the loop-tiling demo needs one")
        folder = Path(tempfile.mkdtemp(prefix="mlqa-tiling-"))
        (folder / "tiling.c").write_text(C_SOURCE)
        target = folder / "tiling.so"
        subprocess.run([compiler, "-O2", "-fPIC", "-shared", str(folder / "tiling.c"), "-o", str(target)], check=True)
        _LIBRARY = ctypes.CDLL(str(target))
        pointer = np.ctypeslib.ndpointer(dtype=np.float64, flags="C_CONTIGUOUS")
        _LIBRARY.matmul_ijk.argtypes = [pointer, pointer, pointer, ctypes.c_int]
        _LIBRARY.matmul_tiled.argtypes = [pointer, pointer, pointer, ctypes.c_int, ctypes.c_int]
    return _LIBRARY


def matmul(A: np.ndarray, B: np.ndarray, tile: int | None = None) -> np.ndarray:
    """C = A B for square float64 matrices, naive i-j-k order (`tile=None`) or tiled with the given block (Q22)."""
    if A.shape != B.shape or A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"need two square matrices of the same size, got {A.shape} and {B.shape}")
    if tile is not None and tile < 1:
        raise ValueError(f"tile must be >= 1, got {tile}")
    library = compile_kernels()
    A, B = np.ascontiguousarray(A, np.float64), np.ascontiguousarray(B, np.float64)
    C = np.empty_like(A)
    if tile is None:
        library.matmul_ijk(A, B, C, A.shape[0])
    else:
        library.matmul_tiled(A, B, C, A.shape[0], tile)
    return C


def tiling_speedup(n: int = 512, tile: int = 64, seed: int = 0, repeat: int = 3) -> dict[str, float]:
    """Fastest of `repeat` timings of the naive and the tiled n x n product (interleaved, so that a busy
    moment of the machine hits both), and each one's largest difference to numpy (Q22)."""
    rng = np.random.default_rng(seed)
    A, B = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    kernels = {"naive i-j-k": None, f"tiled {tile}x{tile}": tile}
    seconds = {name: np.inf for name in kernels}
    errors = {}
    for _ in range(repeat):
        for name, block in kernels.items():
            start = time.perf_counter()
            result = matmul(A, B, block)
            seconds[name] = min(seconds[name], time.perf_counter() - start)
            errors[f"{name} max error"] = float(np.abs(result - A @ B).max())
    return {**seconds, **errors}
