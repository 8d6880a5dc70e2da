// ModelSpec <-> JSON. Reading checks keys and types field by field (naming
// the field, "stages[1].k"), then validate_model_spec checks the values.
#include <fstream>

#include <nlohmann/json.hpp>

#include "ir/onnx_import.h"
#include "train/model_builder.h"

namespace ew::train {
namespace {

using nlohmann::json;

constexpr size_t kMaxSpecBytes = size_t{16} << 20;

std::string join(const std::vector<std::string>& keys) {
  std::string s;
  for (const std::string& k : keys) s += (s.empty() ? "" : ", ") + k;
  return s;
}

// A value as the message quotes it: compact, at most 60 characters.
std::string show(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

Status fail(const std::string& field, const std::string& what) { return invalid_argument(field + ": " + what); }

std::string sub(const std::string& field, const std::string& key) { return field.empty() ? key : field + "." + key; }

Status only_keys(const json& obj, const std::vector<std::string>& keys, const std::string& field, const std::string& kind) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = false;
    for (const std::string& k : keys) known = known || it.key() == k;
    if (!known) return fail(sub(field, it.key()), "unknown key (" + kind + " takes " + join(keys) + ")");
  }
  return Status::ok();
}

Status as_integer(const json& v, const std::string& field, int64_t* out) {
  if (!v.is_number_integer()) return fail(field, "expected an integer, got " + show(v));
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
    return fail(field, "integer too large: " + show(v));
  *out = v.get<int64_t>();
  return Status::ok();
}

// Optional members: absent leaves *out at its default.
Status integer(const json& obj, const std::string& key, const std::string& field, int64_t* out) {
  auto it = obj.find(key);
  return it == obj.end() ? Status::ok() : as_integer(*it, sub(field, key), out);
}

Status number(const json& obj, const std::string& key, const std::string& field, double* out) {
  auto it = obj.find(key);
  if (it == obj.end()) return Status::ok();
  if (!it->is_number()) return fail(sub(field, key), "expected a number, got " + show(*it));
  *out = it->get<double>();
  return Status::ok();
}

Status boolean(const json& obj, const std::string& key, const std::string& field, bool* out) {
  auto it = obj.find(key);
  if (it == obj.end()) return Status::ok();
  if (!it->is_boolean()) return fail(sub(field, key), "expected true or false, got " + show(*it));
  *out = it->get<bool>();
  return Status::ok();
}

Status string(const json& obj, const std::string& key, const std::string& field, std::string* out) {
  auto it = obj.find(key);
  if (it == obj.end()) return Status::ok();
  if (!it->is_string()) return fail(sub(field, key), "expected a string, got " + show(*it));
  *out = it->get<std::string>();
  return Status::ok();
}

Result<const json*> array(const json& obj, const std::string& key, const std::string& field) {
  const json& v = obj.at(key);
  if (!v.is_array()) return fail(sub(field, key), "expected an array, got " + show(v));
  return &v;
}

std::string at(const std::string& field, size_t i) { return field + "[" + std::to_string(i) + "]"; }

Status read_common(const json& j, ModelSpec* s) {
  if (!j.contains("input")) return fail("input", "missing (expected [C, H, W])");
  EW_ASSIGN_OR_RETURN(const json* in, array(j, "input", ""));
  if (in->size() != 3) return fail("input", "expected [C, H, W], got " + show(*in));
  EW_RETURN_IF_ERROR(as_integer((*in)[0], "input[0]", &s->channels));
  EW_RETURN_IF_ERROR(as_integer((*in)[1], "input[1]", &s->height));
  EW_RETURN_IF_ERROR(as_integer((*in)[2], "input[2]", &s->width));
  if (!j.contains("classes")) return fail("classes", "missing");
  EW_RETURN_IF_ERROR(integer(j, "classes", "", &s->classes));
  if (j.contains("seed")) {
    const json& seed = j["seed"];
    if (!seed.is_number_unsigned()) return fail("seed", "expected a non-negative integer, got " + show(seed));
    s->seed = seed.get<uint64_t>();
  }
  return string(j, "init", "", &s->init);
}

Status read_mlp(const json& j, MlpSpec* m) {
  if (j.contains("hidden")) {
    EW_ASSIGN_OR_RETURN(const json* hidden, array(j, "hidden", ""));
    m->hidden.assign(hidden->size(), 0);
    for (size_t i = 0; i < hidden->size(); ++i) EW_RETURN_IF_ERROR(as_integer((*hidden)[i], at("hidden", i), &m->hidden[i]));
  }
  EW_RETURN_IF_ERROR(string(j, "activation", "", &m->activation));
  return number(j, "dropout", "", &m->dropout);
}

Status read_stem(const json& j, const std::vector<std::string>& keys, const std::string& kind, int64_t* channels,
                 int64_t* stride, int64_t* kernel, bool* maxpool) {
  if (!j.contains("stem")) return Status::ok();
  const json& stem = j["stem"];
  if (!stem.is_object()) return fail("stem", "expected an object, got " + show(stem));
  EW_RETURN_IF_ERROR(only_keys(stem, keys, "stem", kind));
  EW_RETURN_IF_ERROR(integer(stem, "channels", "stem", channels));
  EW_RETURN_IF_ERROR(integer(stem, "stride", "stem", stride));
  if (kernel) EW_RETURN_IF_ERROR(integer(stem, "kernel", "stem", kernel));
  if (maxpool) EW_RETURN_IF_ERROR(boolean(stem, "maxpool", "stem", maxpool));
  return Status::ok();
}

// Each element of "stages" is an object of `keys`; `read` fills one stage.
template <typename Stage, typename Read>
Status read_stages(const json& j, const std::vector<std::string>& keys, std::vector<Stage>* stages, Read read) {
  if (!j.contains("stages")) return Status::ok();
  EW_ASSIGN_OR_RETURN(const json* list, array(j, "stages", ""));
  stages->assign(list->size(), Stage{});
  for (size_t i = 0; i < list->size(); ++i) {
    const json& st = (*list)[i];
    const std::string f = at("stages", i);
    if (!st.is_object()) return fail(f, "expected an object, got " + show(st));
    EW_RETURN_IF_ERROR(only_keys(st, keys, f, "a stage"));
    if (!st.contains("c")) return fail(f + ".c", "missing");
    EW_RETURN_IF_ERROR(read(st, f, &(*stages)[i]));
  }
  return Status::ok();
}

Status read_mobilenet_v2(const json& j, MobileNetV2Spec* m) {
  EW_RETURN_IF_ERROR(number(j, "width", "", &m->width));
  EW_RETURN_IF_ERROR(integer(j, "divisor", "", &m->divisor));
  EW_RETURN_IF_ERROR(read_stem(j, {"channels", "stride"}, "a mobilenetv2 stem", &m->stem_channels, &m->stem_stride,
                               nullptr, nullptr));
  EW_RETURN_IF_ERROR(read_stages(j, {"t", "c", "n", "s", "k", "se"}, &m->stages,
                                 [](const json& st, const std::string& f, MobileNetV2Stage* s) {
                                   EW_RETURN_IF_ERROR(integer(st, "t", f, &s->t));
                                   EW_RETURN_IF_ERROR(integer(st, "c", f, &s->c));
                                   EW_RETURN_IF_ERROR(integer(st, "n", f, &s->n));
                                   EW_RETURN_IF_ERROR(integer(st, "s", f, &s->s));
                                   EW_RETURN_IF_ERROR(integer(st, "k", f, &s->k));
                                   return boolean(st, "se", f, &s->se);
                                 }));
  EW_RETURN_IF_ERROR(integer(j, "head", "", &m->head));
  return string(j, "activation", "", &m->activation);
}

Status read_resnet(const json& j, ResNetSpec* r) {
  EW_RETURN_IF_ERROR(read_stem(j, {"channels", "kernel", "stride", "maxpool"}, "a resnet stem", &r->stem_channels,
                               &r->stem_stride, &r->stem_kernel, &r->stem_maxpool));
  return read_stages(j, {"c", "n", "s"}, &r->stages, [](const json& st, const std::string& f, ResNetStage* s) {
    EW_RETURN_IF_ERROR(integer(st, "c", f, &s->c));
    EW_RETURN_IF_ERROR(integer(st, "n", f, &s->n));
    return integer(st, "s", f, &s->s);
  });
}

const std::vector<std::string> kCommonKeys = {"family", "input", "classes", "seed", "init"};

std::vector<std::string> keys_of(const std::string& family) {
  std::vector<std::string> keys = kCommonKeys;
  if (family == "mlp") keys.insert(keys.end(), {"hidden", "activation", "dropout"});
  if (family == "mobilenetv2") keys.insert(keys.end(), {"width", "divisor", "stem", "stages", "head", "activation"});
  if (family == "resnet") keys.insert(keys.end(), {"stem", "stages"});
  return keys;
}

Result<ModelSpec> read_spec(const json& j) {
  if (!j.is_object()) return fail("(top level)", "expected a JSON object");
  ModelSpec s;
  if (!j.contains("family")) return fail("family", "missing (expected mlp, mobilenetv2 or resnet)");
  EW_RETURN_IF_ERROR(string(j, "family", "", &s.family));
  if (s.family != "mlp" && s.family != "mobilenetv2" && s.family != "resnet")
    return fail("family", "unknown family '" + s.family + "' (expected mlp, mobilenetv2 or resnet)");
  EW_RETURN_IF_ERROR(only_keys(j, keys_of(s.family), "", std::string(s.family == "mlp" ? "an " : "a ") + s.family + " spec"));
  EW_RETURN_IF_ERROR(read_common(j, &s));
  if (s.family == "mlp") EW_RETURN_IF_ERROR(read_mlp(j, &s.mlp));
  if (s.family == "mobilenetv2") EW_RETURN_IF_ERROR(read_mobilenet_v2(j, &s.mobilenetv2));
  if (s.family == "resnet") EW_RETURN_IF_ERROR(read_resnet(j, &s.resnet));
  EW_RETURN_IF_ERROR(validate_model_spec(s));
  return s;
}

}  // namespace

Result<ModelSpec> parse_model_spec(const std::string& json_text, const std::string& what) {
  const json j = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return invalid_argument(what + ": not valid JSON");
  try {
    Result<ModelSpec> s = read_spec(j);
    if (!s.is_ok()) return s.status().with_context(what + ": ");
    return s;
  } catch (const json::exception& e) {  // the readers check types first; this is a safety net
    return invalid_argument(what + ": malformed model spec: " + e.what());
  }
}

Result<ModelSpec> read_model_spec(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found(path + ": cannot open the model spec");
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) return io_error(path + ": cannot read the model spec");
  if (static_cast<uint64_t>(size) > kMaxSpecBytes) return invalid_argument(path + ": larger than 16 MiB; not a model spec");
  std::string text(static_cast<size_t>(size), '\0');
  in.seekg(0, std::ios::beg);
  in.read(text.data(), size);
  if (!in) return io_error(path + ": read failed");
  return parse_model_spec(text, path);
}

std::string model_spec_to_json(const ModelSpec& s) {
  nlohmann::ordered_json j;
  j["family"] = s.family;
  j["input"] = {s.channels, s.height, s.width};
  j["classes"] = s.classes;
  j["seed"] = s.seed;
  j["init"] = s.init;
  if (s.family == "mlp") {
    j["hidden"] = s.mlp.hidden;
    j["activation"] = s.mlp.activation;
    j["dropout"] = s.mlp.dropout;
  } else if (s.family == "mobilenetv2") {
    const MobileNetV2Spec& m = s.mobilenetv2;
    j["width"] = m.width;
    j["divisor"] = m.divisor;
    j["stem"] = {{"channels", m.stem_channels}, {"stride", m.stem_stride}};
    j["stages"] = nlohmann::ordered_json::array();
    for (const MobileNetV2Stage& st : m.stages)
      j["stages"].push_back({{"t", st.t}, {"c", st.c}, {"n", st.n}, {"s", st.s}, {"k", st.k}, {"se", st.se}});
    j["head"] = m.head;
    j["activation"] = m.activation;
  } else if (s.family == "resnet") {
    const ResNetSpec& r = s.resnet;
    j["stem"] = {{"channels", r.stem_channels}, {"kernel", r.stem_kernel}, {"stride", r.stem_stride},
                 {"maxpool", r.stem_maxpool}};
    j["stages"] = nlohmann::ordered_json::array();
    for (const ResNetStage& st : r.stages) j["stages"].push_back({{"c", st.c}, {"n", st.n}, {"s", st.s}});
  }
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

bool looks_like_model_spec(const std::string& path) {
  return path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0;
}

Result<Model> load_model_or_spec(const std::string& path) {
  if (!looks_like_model_spec(path)) return load_onnx(path);
  EW_ASSIGN_OR_RETURN(ModelSpec spec, read_model_spec(path));
  return build_model(spec);
}

}  // namespace ew::train
