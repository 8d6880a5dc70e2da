// MLP: Flatten, then Gemm + activation (+ Dropout) per hidden width, then the
// classifier Gemm.
#include "train/model_builder/families.h"
#include "train/model_builder/layer_writer.h"

namespace ew::train::detail {

Status validate_mlp(const ModelSpec& spec) {
  const MlpSpec& m = spec.mlp;
  if (static_cast<int64_t>(m.hidden.size()) > kMaxLayers)
    return field_error("hidden", "at most " + std::to_string(kMaxLayers) + " layers, got " + std::to_string(m.hidden.size()));
  for (size_t i = 0; i < m.hidden.size(); ++i)
    EW_RETURN_IF_ERROR(check_range(m.hidden[i], 1, kMaxUnits, "hidden[" + std::to_string(i) + "]"));
  EW_RETURN_IF_ERROR(check_activation(m.activation, "activation"));
  if (!(m.dropout >= 0.0 && m.dropout < 1.0))
    return field_error("dropout", "must be in [0, 1), got " + number_text(m.dropout));
  return Status::ok();
}

int64_t count_mlp(const ModelSpec& spec) {
  int64_t in = sat_mul(sat_mul(spec.channels, spec.height), spec.width), total = 0;
  for (int64_t h : spec.mlp.hidden) {
    total = sat_add(total, sat_add(sat_mul(in, h), h));
    in = h;
  }
  return sat_add(total, sat_add(sat_mul(in, spec.classes), spec.classes));
}

Result<Model> build_mlp(const ModelSpec& spec) {
  const MlpSpec& m = spec.mlp;
  LayerWriter w(spec, "mlp");
  std::string x = w.node("Flatten", {w.input()}, {{"axis", Attribute::make_int(1)}}, "flatten");
  int64_t in = spec.channels * spec.height * spec.width;
  for (size_t i = 0; i < m.hidden.size(); ++i) {
    const std::string name = "hidden" + std::to_string(i + 1);
    x = w.gemm(x, in, m.hidden[i], relu_family(m.activation), name);
    x = w.activation(x, m.activation, name + ".act");
    if (m.dropout > 0) x = w.dropout(x, m.dropout, name + ".dropout");
    in = m.hidden[i];
  }
  x = w.gemm(x, in, spec.classes, false, "classifier");
  return w.finish(x, spec.classes);
}

}  // namespace ew::train::detail
