#include "backends/onednn/onednn_engine.h"

#include <memory>

// GNU OpenMP, which Debian's oneDNN runs on (declared here: clang builds have no omp.h).
extern "C" {
int omp_get_max_threads();
void omp_set_num_threads(int threads);
}

namespace ew {

namespace {

std::unique_ptr<dnnl::engine> make_engine() {
  try {
    if (dnnl::engine::get_count(dnnl::engine::kind::cpu) == 0) return nullptr;
    return std::make_unique<dnnl::engine>(dnnl::engine::kind::cpu, 0);
  } catch (const dnnl::error&) {
    return nullptr;
  }
}

const std::unique_ptr<dnnl::engine>& engine_holder() {
  static const std::unique_ptr<dnnl::engine> engine = make_engine();
  return engine;
}

}  // namespace

bool onednn_available() { return engine_holder() != nullptr; }

const dnnl::engine& onednn_engine() { return *engine_holder(); }

void onednn_set_threads(int threads) {
  if (omp_get_max_threads() != threads) omp_set_num_threads(threads < 1 ? 1 : threads);
}

std::string onednn_isa() {
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx2_vnni: return "avx2_vnni";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    default: return "other";
  }
}

bool onednn_has_vnni() {
  auto isa = dnnl::get_effective_cpu_isa();
  return isa == dnnl::cpu_isa::avx2_vnni || isa == dnnl::cpu_isa::avx512_core_vnni ||
         isa == dnnl::cpu_isa::avx512_core_bf16 || isa == dnnl::cpu_isa::avx512_core_amx;
}

bool onednn_has_bf16() {
  auto isa = dnnl::get_effective_cpu_isa();
  return isa == dnnl::cpu_isa::avx512_core_bf16 || isa == dnnl::cpu_isa::avx512_core_amx;
}

}  // namespace ew
