// What /proc/cpuinfo says: model, vendor, ISA flag words, processor count.
//
// x86 kernels print "vendor_id", "model name" and "flags" per processor; arm64
// kernels print "Features", "CPU implementer" and "CPU part" per processor and
// often no model name at all (a Raspberry Pi adds "Model" at the end).
#pragma once

#include <string>
#include <vector>

#include "device/reading.h"

namespace ew::device {

enum class CpuArch { kUnknown, kX86_64, kArm64, kArm32 };
const char* cpu_arch_name(CpuArch a);

struct CpuInfoText {
  Provenance provenance = Provenance::kUnknown;
  std::string note;
  CpuArch arch = CpuArch::kUnknown;
  std::string vendor;       // "GenuineIntel", "ARM", "NVIDIA", ...
  std::string model_name;   // "model name", else the board's "Model", else the core name
  std::vector<std::string> flags;  // "flags" (x86) or "Features" (Arm) of the first processor
  int processors = 0;              // "processor" entries
  std::string cache_size;          // x86 "cache size" ("1024 KB"): L2 per core on AMD, L3 on Intel
  std::vector<std::string> core_names;  // per processor, Arm "CPU part" decoded ("Cortex-A72"); empty on x86
};

CpuInfoText parse_cpuinfo_text(const std::string& text);
CpuInfoText read_cpuinfo_text(const std::string& root);

// Arm MIDR part number ("0xd08") -> core name ("Cortex-A72"); "" when not in the table.
std::string arm_core_name(const std::string& implementer, const std::string& part);

}  // namespace ew::device
