#ifndef SDTRACK_CLAPACK_SHIM_H
#define SDTRACK_CLAPACK_SHIM_H

// LAPACKE (the C interface to LAPACK) and OpenBLAS's CBLAS, as Debian ships them
// (liblapacke-dev, libopenblas-dev). Only SDEngine/LinearAlgebra/Lapack.swift calls these.
#include <lapacke.h>
#include <cblas.h>

// Declared by OpenBLAS's own cblas.h; repeated here so that the shim does not depend on
// which cblas.h the alternatives system points at.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
// The core type whose kernels run ("Haswell", "SkylakeX", ...: OPENBLAS_CORETYPE's names) and
// the build's configuration ("OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ... MAX_THREADS=64").
char *openblas_get_corename(void);
char *openblas_get_config(void);

// Stops OpenBLAS's worker threads; the next threaded BLAS call starts them again.
int blas_thread_shutdown_(void);

#endif
