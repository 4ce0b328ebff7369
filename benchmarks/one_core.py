"""Importing this first runs a benchmark on one thread.

BLAS and OpenMP read these variables when numpy and scikit-learn are first
imported, so the import must come before theirs. On a busy machine, OpenMP
threads in HistGradientBoosting's predict can spin-wait for seconds per page,
and the numbers should not depend on the core count.
"""
import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"
