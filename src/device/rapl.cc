#include "device/rapl.h"

#include "device/sysfs.h"

namespace ew::device {

namespace {

constexpr const char* kPowercapDir = "/sys/class/powercap";

RaplZone read_zone(const std::string& root, const std::string& id) {
  RaplZone z;
  z.id = id;
  z.path = std::string(kPowercapDir) + "/" + id;
  z.name = read_text(root, z.path + "/name");
  z.energy_uj = read_int(root, z.path + "/energy_uj");
  z.max_energy_range_uj = read_int(root, z.path + "/max_energy_range_uj");
  return z;
}

Status reading_status(const Reading<int64_t>& r, const std::string& what) {
  if (r.known()) return Status::ok();
  return r.provenance == Provenance::kUnknown ? not_found(what + " " + r.note) : io_error(what + " " + r.note);
}

}  // namespace

std::vector<RaplZone> read_rapl_zones(const std::string& root) {
  std::vector<RaplZone> zones;
  // Top-level zones are listed in /sys/class/powercap; sub-zones live inside them.
  for (const std::string& id : list_entries(root, kPowercapDir, "intel-rapl:")) {
    if (id.find(':') != id.rfind(':')) continue;
    zones.push_back(read_zone(root, id));
    for (const std::string& sub : list_entries(root, std::string(kPowercapDir) + "/" + id, id + ":")) {
      RaplZone z = read_zone(root, id + "/" + sub);
      z.id = sub;
      zones.push_back(std::move(z));
    }
  }
  return zones;
}

Result<int64_t> rapl_energy_delta_uj(int64_t before_uj, int64_t after_uj, int64_t max_range_uj) {
  if (max_range_uj <= 0) return invalid_argument("RAPL max_energy_range_uj must be positive");
  if (before_uj < 0 || after_uj < 0 || before_uj > max_range_uj || after_uj > max_range_uj)
    return out_of_range("RAPL reading outside 0..max_energy_range_uj (" + std::to_string(max_range_uj) + ")");
  if (after_uj >= before_uj) return after_uj - before_uj;
  return (max_range_uj - before_uj) + after_uj;
}

Result<int64_t> RaplCounter::read_counter() const {
  auto v = read_int(root_, path_ + "/energy_uj");
  EW_RETURN_IF_ERROR(reading_status(v, "RAPL energy_uj:"));
  return v.value;
}

Status RaplCounter::start() {
  auto range = read_int(root_, path_ + "/max_energy_range_uj");
  EW_RETURN_IF_ERROR(reading_status(range, "RAPL max_energy_range_uj:"));
  if (range.value <= 0) return invalid_argument("RAPL max_energy_range_uj is not positive in " + path_);
  EW_ASSIGN_OR_RETURN(int64_t first, read_counter());
  max_range_uj_ = range.value;
  last_uj_ = first;
  total_uj_ = 0;
  started_ = true;
  return Status::ok();
}

Result<int64_t> RaplCounter::elapsed_uj() {
  if (!started_) return invalid_argument("RaplCounter::elapsed_uj called before a successful start()");
  EW_ASSIGN_OR_RETURN(int64_t now, read_counter());
  EW_ASSIGN_OR_RETURN(int64_t delta, rapl_energy_delta_uj(last_uj_, now, max_range_uj_));
  last_uj_ = now;
  total_uj_ += delta;
  return total_uj_;
}

}  // namespace ew::device
