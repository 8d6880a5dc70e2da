#include "device/isa_features.h"

#include <algorithm>

#include <cpuinfo.h>

namespace ew::device {

namespace {

struct FeatureSpec {
  CpuArch arch;
  const char* name;
  std::vector<const char*> kernel_words;  // any of these in "flags"/"Features"
  bool (*library)();                      // libcpuinfo query, or nullptr
};

// One line per feature. Arm "fp16" means FP16 arithmetic in Advanced SIMD
// (asimdhp); "neon" is asimd on arm64 and neon on 32-bit Arm.
const std::vector<FeatureSpec>& feature_specs() {
  static const std::vector<FeatureSpec> kSpecs = {
      {CpuArch::kX86_64, "sse4.2", {"sse4_2"}, &cpuinfo_has_x86_sse4_2},
      {CpuArch::kX86_64, "avx", {"avx"}, &cpuinfo_has_x86_avx},
      {CpuArch::kX86_64, "avx2", {"avx2"}, &cpuinfo_has_x86_avx2},
      {CpuArch::kX86_64, "fma", {"fma"}, &cpuinfo_has_x86_fma3},
      {CpuArch::kX86_64, "f16c", {"f16c"}, &cpuinfo_has_x86_f16c},
      {CpuArch::kX86_64, "avx512f", {"avx512f"}, &cpuinfo_has_x86_avx512f},
      {CpuArch::kX86_64, "avx512bw", {"avx512bw"}, &cpuinfo_has_x86_avx512bw},
      {CpuArch::kX86_64, "avx512vl", {"avx512vl"}, &cpuinfo_has_x86_avx512vl},
      {CpuArch::kX86_64, "avx512_vnni", {"avx512_vnni"}, &cpuinfo_has_x86_avx512vnni},
      {CpuArch::kX86_64, "avx512_bf16", {"avx512_bf16"}, &cpuinfo_has_x86_avx512bf16},
      {CpuArch::kX86_64, "avx_vnni", {"avx_vnni"}, nullptr},
      {CpuArch::kX86_64, "amx", {"amx_tile"}, nullptr},
      {CpuArch::kArm64, "neon", {"asimd"}, &cpuinfo_has_arm_neon},
      {CpuArch::kArm64, "fp16", {"asimdhp"}, &cpuinfo_has_arm_neon_fp16_arith},
      {CpuArch::kArm64, "dotprod", {"asimddp"}, &cpuinfo_has_arm_neon_dot},
      {CpuArch::kArm64, "i8mm", {"i8mm"}, nullptr},
      {CpuArch::kArm64, "bf16", {"bf16"}, &cpuinfo_has_arm_bf16},
      {CpuArch::kArm64, "sve", {"sve"}, &cpuinfo_has_arm_sve},
      {CpuArch::kArm64, "sve2", {"sve2"}, &cpuinfo_has_arm_sve2},
      {CpuArch::kArm32, "neon", {"neon", "asimd"}, &cpuinfo_has_arm_neon},
      {CpuArch::kArm32, "fp16", {"asimdhp"}, &cpuinfo_has_arm_neon_fp16_arith},
      {CpuArch::kArm32, "dotprod", {"asimddp"}, &cpuinfo_has_arm_neon_dot},
  };
  return kSpecs;
}

CpuArch library_arch() {
#if defined(__x86_64__)
  return CpuArch::kX86_64;
#elif defined(__aarch64__)
  return CpuArch::kArm64;
#elif defined(__arm__)
  return CpuArch::kArm32;
#else
  return CpuArch::kUnknown;
#endif
}

}  // namespace

std::vector<IsaFeature> isa_from_flags(CpuArch arch, const std::vector<std::string>& flags) {
  std::vector<IsaFeature> out;
  for (const FeatureSpec& spec : feature_specs()) {
    if (spec.arch != arch) continue;
    IsaFeature f{spec.name, {}};
    if (!flags.empty()) {
      bool yes = std::any_of(spec.kernel_words.begin(), spec.kernel_words.end(), [&](const char* w) {
        return std::find(flags.begin(), flags.end(), w) != flags.end();
      });
      f.present = known_reading(yes, Provenance::kRead, "/proc/cpuinfo");
    }
    out.push_back(std::move(f));
  }
  return out;
}

void overlay_isa_from_library(std::vector<IsaFeature>& features) {
  if (!cpuinfo_initialize()) return;
  for (const FeatureSpec& spec : feature_specs()) {
    if (spec.arch != library_arch() || !spec.library) continue;
    auto it = std::find_if(features.begin(), features.end(), [&](const IsaFeature& f) { return f.name == spec.name; });
    if (it == features.end()) it = features.insert(features.end(), IsaFeature{spec.name, {}});
    it->present = known_reading(spec.library(), Provenance::kLibrary, "libcpuinfo");
  }
}

bool has_feature(const std::vector<IsaFeature>& features, const std::string& name) {
  for (const IsaFeature& f : features)
    if (f.name == name) return f.present.known() && f.present.value;
  return false;
}

}  // namespace ew::device
