// ISA features that matter for inference kernels, by architecture.
//
// The list is declarative (isa_features.cc): each feature names the kernel
// /proc/cpuinfo words that imply it. Live detection overlays libcpuinfo for
// the features this libcpuinfo version knows (Debian's 2022 snapshot has no
// AVX-VNNI, AMX or I8MM queries; those stay from /proc/cpuinfo).
#pragma once

#include <string>
#include <vector>

#include "device/cpuinfo_text.h"
#include "device/reading.h"

namespace ew::device {

struct IsaFeature {
  std::string name;       // "avx2", "dotprod", ...
  Reading<bool> present;  // known() when the source could say yes or no
};

// Features known for `arch`, each read from the kernel flag words.
// Unknown (not "absent") when there are no flag words to read.
std::vector<IsaFeature> isa_from_flags(CpuArch arch, const std::vector<std::string>& flags);
// Overlays what libcpuinfo reports on the live machine (no-op elsewhere).
void overlay_isa_from_library(std::vector<IsaFeature>& features);

// True when `name` is known and present.
bool has_feature(const std::vector<IsaFeature>& features, const std::string& name);

}  // namespace ew::device
