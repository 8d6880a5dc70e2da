// DeviceProfile <-> JSON. Parsing reports the file and field at fault, then
// validates the whole profile.
#include <nlohmann/json.hpp>

#include "device/device_profile.h"

namespace ew {
namespace {

using nlohmann::json;

class Reader {
 public:
  explicit Reader(std::string origin) : origin_(std::move(origin)) {}

  Status fail(const std::string& field, const std::string& what) const {
    return invalid_argument(origin_ + ": " + field + ": " + what);
  }

  Result<const json*> member(const json& obj, const std::string& key, const std::string& field) const {
    if (!obj.is_object()) return fail(field, "expected an object");
    auto it = obj.find(key);
    if (it == obj.end()) return fail(field.empty() ? key : field + "." + key, "missing");
    return &*it;
  }

  Result<std::string> string(const json& obj, const std::string& key, const std::string& field) const {
    EW_ASSIGN_OR_RETURN(const json* v, member(obj, key, field));
    if (!v->is_string()) return fail(join(field, key), "expected a string");
    return v->get<std::string>();
  }

  Result<Quantity> quantity(const json& obj, const std::string& key, const std::string& field) const {
    EW_ASSIGN_OR_RETURN(const json* v, member(obj, key, field));
    return quantity_at(*v, join(field, key));
  }

  Result<Quantity> quantity_at(const json& v, const std::string& field) const {
    if (!v.is_object()) return fail(field, "expected {\"value\": number, \"source\": string}");
    auto value = v.find("value");
    if (value == v.end() || !value->is_number()) return fail(field + ".value", "missing or not a number");
    auto source = v.find("source");
    if (source == v.end() || !source->is_string() || source->get<std::string>().empty())
      return fail(field + ".source", "missing provenance (\"source\": URL/document, \"measured on host\" or \"assumption: ...\")");
    return Quantity{value->get<double>(), source->get<std::string>()};
  }

  Result<std::map<Precision, Quantity>> per_precision(const json& obj, const std::string& key, const std::string& field) const {
    std::map<Precision, Quantity> out;
    EW_ASSIGN_OR_RETURN(const json* v, member(obj, key, field));
    std::string f = join(field, key);
    if (!v->is_object()) return fail(f, "expected an object keyed by precision");
    for (auto it = v->begin(); it != v->end(); ++it) {
      auto p = parse_precision(it.key());
      if (!p.is_ok()) return fail(f + "." + it.key(), p.status().message());
      EW_ASSIGN_OR_RETURN(out[*p], quantity_at(it.value(), f + "." + it.key()));
    }
    return out;
  }

  static std::string join(const std::string& field, const std::string& key) { return field.empty() ? key : field + "." + key; }

 private:
  std::string origin_;
};

Status read_points(const Reader& r, const json& unit, const std::string& field, ComputeUnit* u) {
  auto it = unit.find("operating_points");
  if (it == unit.end()) return Status::ok();
  std::string f = field + ".operating_points";
  EW_ASSIGN_OR_RETURN(u->operating_points_source, r.string(*it, "source", f));
  EW_ASSIGN_OR_RETURN(const json* points, r.member(*it, "points", f));
  if (!points->is_array()) return r.fail(f + ".points", "expected an array");
  for (size_t i = 0; i < points->size(); ++i) {
    const json& pt = (*points)[i];
    std::string pf = f + ".points[" + std::to_string(i) + "]";
    if (!pt.is_object() || !pt.contains("frequency_mhz") || !pt["frequency_mhz"].is_number() || !pt.contains("voltage_v") ||
        !pt["voltage_v"].is_number())
      return r.fail(pf, "expected {\"frequency_mhz\": number, \"voltage_v\": number}");
    u->operating_points.push_back({pt["frequency_mhz"].get<double>(), pt["voltage_v"].get<double>()});
  }
  return Status::ok();
}

Result<ComputeUnit> read_unit(const Reader& r, const json& j, const std::string& field) {
  ComputeUnit u;
  EW_ASSIGN_OR_RETURN(u.name, r.string(j, "name", field));
  EW_ASSIGN_OR_RETURN(u.kind, r.string(j, "kind", field));
  if (j.contains("description")) {
    EW_ASSIGN_OR_RETURN(u.description, r.string(j, "description", field));
  }
  EW_ASSIGN_OR_RETURN(u.count, r.quantity(j, "count", field));
  EW_ASSIGN_OR_RETURN(u.peak_gops, r.per_precision(j, "peak_gops", field));
  EW_ASSIGN_OR_RETURN(u.energy_per_mac_pj, r.per_precision(j, "energy_per_mac_pj", field));
  EW_RETURN_IF_ERROR(read_points(r, j, field, &u));
  return u;
}

Result<DeviceTier> read_tier(const Reader& r, const std::string& s) {
  for (DeviceTier t : {DeviceTier::kHighEnd, DeviceTier::kMidRange, DeviceTier::kConstrained, DeviceTier::kHost})
    if (s == tier_name(t)) return t;
  return r.fail("tier", "'" + s + "' is not one of high_end, mid_range, constrained, host");
}

Status read_body(const Reader& r, const json& j, DeviceProfile* p) {
  EW_ASSIGN_OR_RETURN(const json* units, r.member(j, "compute_units", ""));
  if (!units->is_array()) return r.fail("compute_units", "expected an array");
  for (size_t i = 0; i < units->size(); ++i) {
    EW_ASSIGN_OR_RETURN(ComputeUnit u, read_unit(r, (*units)[i], "compute_units[" + std::to_string(i) + "]"));
    p->compute_units.push_back(std::move(u));
  }
  EW_ASSIGN_OR_RETURN(const json* mem, r.member(j, "memory", ""));
  EW_ASSIGN_OR_RETURN(p->memory.kind, r.string(*mem, "kind", "memory"));
  EW_ASSIGN_OR_RETURN(p->memory.size_mib, r.quantity(*mem, "size_mib", "memory"));
  EW_ASSIGN_OR_RETURN(p->memory.bandwidth_gb_s, r.quantity(*mem, "bandwidth_gb_s", "memory"));
  EW_ASSIGN_OR_RETURN(p->memory.energy_per_byte_pj, r.quantity(*mem, "energy_per_byte_pj", "memory"));
  EW_ASSIGN_OR_RETURN(const json* pw, r.member(j, "power", ""));
  EW_ASSIGN_OR_RETURN(p->power.tdp_w, r.quantity(*pw, "tdp_w", "power"));
  EW_ASSIGN_OR_RETURN(p->power.static_w, r.quantity(*pw, "static_w", "power"));
  EW_ASSIGN_OR_RETURN(const json* th, r.member(j, "thermal", ""));
  ThermalSpec& t = p->thermal;
  EW_ASSIGN_OR_RETURN(t.resistance_c_per_w, r.quantity(*th, "resistance_c_per_w", "thermal"));
  EW_ASSIGN_OR_RETURN(t.time_constant_s, r.quantity(*th, "time_constant_s", "thermal"));
  EW_ASSIGN_OR_RETURN(t.ambient_c, r.quantity(*th, "ambient_c", "thermal"));
  EW_ASSIGN_OR_RETURN(t.throttle_c, r.quantity(*th, "throttle_c", "thermal"));
  EW_ASSIGN_OR_RETURN(t.hysteresis_c, r.quantity(*th, "hysteresis_c", "thermal"));
  EW_ASSIGN_OR_RETURN(t.critical_c, r.quantity(*th, "critical_c", "thermal"));
  return Status::ok();
}

json quantity_json(const Quantity& q) { return {{"value", q.value}, {"source", q.source}}; }

json per_precision_json(const std::map<Precision, Quantity>& m) {
  json out = json::object();
  for (const auto& [p, q] : m) out[precision_name(p)] = quantity_json(q);
  return out;
}

json unit_json(const ComputeUnit& u) {
  json j = {{"name", u.name}, {"kind", u.kind}, {"description", u.description}, {"count", quantity_json(u.count)},
            {"peak_gops", per_precision_json(u.peak_gops)}, {"energy_per_mac_pj", per_precision_json(u.energy_per_mac_pj)}};
  if (!u.operating_points.empty()) {
    json points = json::array();
    for (const OperatingPoint& op : u.operating_points) points.push_back({{"frequency_mhz", op.frequency_mhz}, {"voltage_v", op.voltage_v}});
    j["operating_points"] = {{"source", u.operating_points_source}, {"points", points}};
  }
  return j;
}

}  // namespace

static Result<DeviceProfile> device_profile_from_json_fields(const json& j, const std::string& origin) {
  Reader r(origin);
  if (!j.is_object()) return r.fail("(top level)", "expected a JSON object");
  DeviceProfile p;
  EW_ASSIGN_OR_RETURN(const json* version, r.member(j, "schema_version", ""));
  if (!version->is_number_integer()) return r.fail("schema_version", "expected an integer");
  p.schema_version = version->get<int>();
  if (p.schema_version != kDeviceProfileSchemaVersion)
    return r.fail("schema_version", "is " + std::to_string(p.schema_version) + ", this build reads " + std::to_string(kDeviceProfileSchemaVersion));
  EW_ASSIGN_OR_RETURN(p.name, r.string(j, "name", ""));
  EW_ASSIGN_OR_RETURN(std::string tier, r.string(j, "tier", ""));
  EW_ASSIGN_OR_RETURN(p.tier, read_tier(r, tier));
  EW_ASSIGN_OR_RETURN(p.description, r.string(j, "description", ""));
  EW_RETURN_IF_ERROR(read_body(r, j, &p));
  EW_RETURN_IF_ERROR(validate_device_profile(p, origin));
  return p;
}

json to_json(const DeviceProfile& p) {
  json units = json::array();
  for (const ComputeUnit& u : p.compute_units) units.push_back(unit_json(u));
  const ThermalSpec& t = p.thermal;
  return {{"schema_version", p.schema_version},
          {"name", p.name},
          {"tier", tier_name(p.tier)},
          {"description", p.description},
          {"compute_units", units},
          {"memory",
           {{"kind", p.memory.kind}, {"size_mib", quantity_json(p.memory.size_mib)},
            {"bandwidth_gb_s", quantity_json(p.memory.bandwidth_gb_s)}, {"energy_per_byte_pj", quantity_json(p.memory.energy_per_byte_pj)}}},
          {"power", {{"tdp_w", quantity_json(p.power.tdp_w)}, {"static_w", quantity_json(p.power.static_w)}}},
          {"thermal",
           {{"resistance_c_per_w", quantity_json(t.resistance_c_per_w)}, {"time_constant_s", quantity_json(t.time_constant_s)},
            {"ambient_c", quantity_json(t.ambient_c)}, {"throttle_c", quantity_json(t.throttle_c)},
            {"hysteresis_c", quantity_json(t.hysteresis_c)}, {"critical_c", quantity_json(t.critical_c)}}}};
}

// The typed readers above check each field before reading it; this catches
// what they miss (a field of an unexpected JSON type deep inside), so a
// malformed file is an error, never an exception escaping the library.
Result<DeviceProfile> device_profile_from_json(const json& j, const std::string& origin) {
  try {
    return device_profile_from_json_fields(j, origin);
  } catch (const nlohmann::json::exception& e) {
    return invalid_argument(origin + ": malformed device profile: " + e.what());
  }
}

}  // namespace ew
