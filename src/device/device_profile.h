// DeviceProfile: the numbers the cost, energy and thermal models need about one
// device class — peak throughput per precision, memory, power, energy per
// operation, DVFS operating points and thermal constants.
//
// Profiles live as JSON in data/devices/<name>.json (schema in
// data/devices/README.md). Every number there carries its provenance: a public
// source, "measured on host", or "assumption: <why>". The loader rejects a
// profile whose numbers lack a source, so a modelled figure can never pass for
// a measured one.
//
// Units inside the struct follow the JSON file (GOP/s, MiB, GB/s, pJ, W, °C, s);
// the accessors at the bottom return SI units for the models.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/status.h"

namespace ew {

// Arithmetic precision of a MAC. One list, used for JSON keys and names.
#define EW_PRECISION_LIST(X) X(kFp32, "fp32") X(kFp16, "fp16") X(kInt8, "int8") X(kInt4, "int4")

enum class Precision {
#define EW_PRECISION_ENUM(id, name) id,
  EW_PRECISION_LIST(EW_PRECISION_ENUM)
#undef EW_PRECISION_ENUM
};

const char* precision_name(Precision p);
Result<Precision> parse_precision(const std::string& name);
const std::vector<Precision>& all_precisions();

// A number with where it came from.
struct Quantity {
  double value = 0;
  std::string source;  // URL/document + what it says, "measured on host", or "assumption: ..."
};

// One DVFS operating point of a compute unit.
struct OperatingPoint {
  double frequency_mhz = 0;
  double voltage_v = 0;
};

// A CPU cluster, GPU, NPU, TPU or DLA. Peak counts one MAC as 2 ops (vendor TOPS convention).
struct ComputeUnit {
  std::string name;  // "cpu", "gpu", "dla", "edgetpu", ...
  std::string kind;  // "cpu" | "gpu" | "npu" | "tpu" | "dsp"
  std::string description;
  Quantity count;  // cores (CPU) or instances (accelerators)
  std::map<Precision, Quantity> peak_gops;           // whole unit, all cores, GOP/s
  std::map<Precision, Quantity> energy_per_mac_pj;   // dynamic energy of one MAC on this unit
  std::vector<OperatingPoint> operating_points;      // ascending frequency; may be empty
  std::string operating_points_source;               // one source for the whole table
};

struct MemorySpec {
  std::string kind;  // e.g. "LPDDR5, 256-bit"
  Quantity size_mib;
  Quantity bandwidth_gb_s;      // peak, 1e9 bytes/s
  Quantity energy_per_byte_pj;  // one byte moved to or from DRAM
};

struct PowerSpec {
  Quantity tdp_w;
  Quantity static_w;  // idle/leakage power drawn whenever the device is on
};

struct ThermalSpec {
  Quantity resistance_c_per_w;  // junction-to-ambient, with the stock cooling
  Quantity time_constant_s;     // tau of the one-pole RC model
  Quantity ambient_c;
  Quantity throttle_c;          // trip temperature where the governor lowers the operating point
  Quantity hysteresis_c;        // recovery at throttle_c - hysteresis_c
  Quantity critical_c;          // shutdown
};

enum class DeviceTier { kHighEnd, kMidRange, kConstrained, kHost };
const char* tier_name(DeviceTier tier);

inline constexpr int kDeviceProfileSchemaVersion = 1;

struct DeviceProfile {
  int schema_version = kDeviceProfileSchemaVersion;
  std::string name;
  DeviceTier tier = DeviceTier::kMidRange;
  std::string description;
  std::vector<ComputeUnit> compute_units;
  MemorySpec memory;
  PowerSpec power;
  ThermalSpec thermal;

  // Best unit for precision p. Each unit runs p natively or, if it lacks p, at
  // its first wider precision (int4 → int8 → fp16 → fp32), as a runtime unpacks
  // int4 weights or runs int8 layers in fp16 on a GPU without int8 math; the unit
  // with the highest resulting peak wins. runs_as(p) is the precision it runs at.
  // nullptr only when no unit can run p (a profile that fails validation).
  const ComputeUnit* unit_for(Precision p) const;
  Precision runs_as(Precision p) const;
  const ComputeUnit* unit(const std::string& name) const;
  bool has_native(Precision p) const;

  // SI accessors for the models.
  double peak_ops(Precision p) const;        // ops/s (2 per MAC)
  double energy_per_mac(Precision p) const;  // J per MAC on unit_for(p)
  double dram_bandwidth() const;             // bytes/s
  double memory_bytes() const;
  double energy_per_byte() const;            // J per DRAM byte
  double static_power() const;               // W
  double tdp() const;                        // W
  // The CPU's DVFS table (the first unit with points if there is no "cpu").
  const std::vector<OperatingPoint>& operating_points() const;
};

// Checks ranges and provenance; `origin` (file name) prefixes every message,
// which names the offending field, e.g. "jetson_nano.json: compute_units[0].peak_gops.fp32".
Status validate_device_profile(const DeviceProfile& profile, const std::string& origin);

// JSON form (schema in data/devices/README.md). Parsing validates.
Result<DeviceProfile> device_profile_from_json(const nlohmann::json& j, const std::string& origin);
nlohmann::json to_json(const DeviceProfile& profile);

// Loads "jetson_nano" (from the data dir), "host" (measured, cached; see
// host_profile.h) or a path to a .json file.
Result<DeviceProfile> load_device_profile(const std::string& name_or_path);
// Names of the bundled profiles, sorted, plus "host".
std::vector<std::string> list_device_profiles();
// Directory holding devices/*.json: $EW_DATA_DIR, else the source tree's data/
// (compile definition), else ../data or data next to the running executable.
std::string device_data_dir();

}  // namespace ew
