// oneDNN's CPU engine, created once per process, and its thread setting.
//
// Debian's oneDNN 2.6 is built on OpenMP: a primitive runs on as many OpenMP
// threads as the calling thread's omp_get_max_threads() says, so every kernel
// sets the session's thread count before it creates or runs primitives.
#pragma once

#include <dnnl.hpp>

#include <string>

namespace ew {

// False where oneDNN cannot make a CPU engine; partitions then stay with
// XNNPACK and our own kernels.
bool onednn_available();
// The process's CPU engine (only when onednn_available()).
const dnnl::engine& onednn_engine();
// OpenMP threads for oneDNN primitives created and run on this thread from now on.
void onednn_set_threads(int threads);
// The widest instruction set oneDNN dispatches to here, e.g. "avx2",
// "avx512_core_vnni", "avx512_core_amx".
std::string onednn_isa();
// True when oneDNN has VNNI (AVX2-VNNI, AVX512-VNNI or AMX) here: int8 dot
// products accumulate in 32 bits. Without it oneDNN sums pairs of u8 x s8
// products in saturating 16 bits (vpmaddubsw).
bool onednn_has_vnni();
// True when oneDNN has bf16 arithmetic here (AVX512-BF16 or AMX-BF16), so
// fpmath_mode::bf16 makes fp32 primitives compute in bf16.
bool onednn_has_bf16();

}  // namespace ew
