#include "device/cpuinfo_text.h"

#include <sstream>

#include "device/sysfs.h"

namespace ew::device {

namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string arm_vendor(const std::string& implementer) {
  static const std::pair<const char*, const char*> kVendors[] = {
      {"0x41", "ARM"}, {"0x42", "Broadcom"}, {"0x43", "Cavium"}, {"0x4e", "NVIDIA"},
      {"0x51", "Qualcomm"}, {"0x53", "Samsung"}, {"0x61", "Apple"}, {"0xc0", "Ampere"}};
  for (const auto& [id, name] : kVendors)
    if (implementer == id) return name;
  return implementer.empty() ? "" : "implementer " + implementer;
}

struct Processor {
  std::string implementer, part;
};

}  // namespace

const char* cpu_arch_name(CpuArch a) {
  switch (a) {
    case CpuArch::kX86_64: return "x86_64";
    case CpuArch::kArm64: return "arm64";
    case CpuArch::kArm32: return "arm";
    case CpuArch::kUnknown: break;
  }
  return "unknown";
}

std::string arm_core_name(const std::string& implementer, const std::string& part) {
  if (implementer != "0x41") return {};
  static const std::pair<const char*, const char*> kParts[] = {
      {"0xd03", "Cortex-A53"}, {"0xd04", "Cortex-A35"}, {"0xd05", "Cortex-A55"}, {"0xd07", "Cortex-A57"},
      {"0xd08", "Cortex-A72"}, {"0xd09", "Cortex-A73"}, {"0xd0a", "Cortex-A75"}, {"0xd0b", "Cortex-A76"},
      {"0xd0c", "Neoverse-N1"}, {"0xd0d", "Cortex-A77"}, {"0xd40", "Neoverse-V1"}, {"0xd41", "Cortex-A78"},
      {"0xd42", "Cortex-A78AE"}, {"0xd44", "Cortex-X1"}, {"0xd46", "Cortex-A510"}, {"0xd47", "Cortex-A710"},
      {"0xd48", "Cortex-X2"}, {"0xd49", "Neoverse-N2"}, {"0xd4d", "Cortex-A715"}, {"0xd4e", "Cortex-X3"},
      {"0xd80", "Cortex-A520"}, {"0xd81", "Cortex-A720"}, {"0xd82", "Cortex-X4"}};
  for (const auto& [id, name] : kParts)
    if (part == id) return name;
  return {};
}

CpuInfoText parse_cpuinfo_text(const std::string& text) {
  CpuInfoText info;
  info.provenance = Provenance::kRead;
  std::vector<Processor> procs;
  std::string board_model, cpu_architecture;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
    if (key == "processor") {
      ++info.processors;
      procs.emplace_back();
    } else if (key == "vendor_id" && info.vendor.empty()) {
      info.vendor = value;
    } else if (key == "model name" && info.model_name.empty()) {
      info.model_name = value;
    } else if (key == "cache size" && info.cache_size.empty()) {
      info.cache_size = value;
    } else if (key == "Model" || key == "Hardware") {
      if (board_model.empty() || key == "Model") board_model = value;
    } else if ((key == "flags" || key == "Features") && info.flags.empty()) {
      std::istringstream words(value);
      for (std::string w; words >> w;) info.flags.push_back(w);
      if (key == "flags") info.arch = CpuArch::kX86_64;
    } else if (key == "CPU architecture" && cpu_architecture.empty()) {
      cpu_architecture = value;
    } else if (key == "CPU implementer" && !procs.empty()) {
      procs.back().implementer = value;
    } else if (key == "CPU part" && !procs.empty()) {
      procs.back().part = value;
    }
  }
  if (info.arch == CpuArch::kUnknown && !cpu_architecture.empty())
    info.arch = (cpu_architecture == "8" || cpu_architecture == "9" || cpu_architecture == "AArch64") ? CpuArch::kArm64
                                                                                                    : CpuArch::kArm32;
  for (const Processor& p : procs) {
    if (info.arch == CpuArch::kX86_64) break;
    std::string name = arm_core_name(p.implementer, p.part);
    info.core_names.push_back(name.empty() && !p.part.empty() ? "part " + p.part : name);
    if (info.vendor.empty()) info.vendor = arm_vendor(p.implementer);
  }
  if (info.model_name.empty()) info.model_name = board_model;
  if (info.model_name.empty() && !info.core_names.empty()) info.model_name = info.core_names.front();
  if (info.processors == 0 && info.flags.empty()) {
    info.provenance = Provenance::kUnparsed;
    info.note = "unparsed /proc/cpuinfo: no 'processor' or 'flags'/'Features' lines";
  }
  return info;
}

CpuInfoText read_cpuinfo_text(const std::string& root) {
  auto text = read_text(root, "/proc/cpuinfo");
  if (!text.known()) {
    CpuInfoText info;
    info.provenance = text.provenance;
    info.note = text.note;
    return info;
  }
  return parse_cpuinfo_text(text.value);
}

}  // namespace ew::device
