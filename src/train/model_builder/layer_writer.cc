#include "train/model_builder/layer_writer.h"

#include <cmath>
#include <numbers>
#include <random>

namespace ew::train::detail {
namespace {

uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

// Uniform in [0, 1) from the top 53 bits: the same on every platform,
// unlike std::uniform_real_distribution and std::normal_distribution.
double unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

constexpr const char* kActivations[] = {"relu", "relu6", "gelu", "tanh", "sigmoid", "hardswish"};

}  // namespace

bool relu_family(const std::string& a) { return a == "relu" || a == "relu6" || a == "gelu" || a == "hardswish"; }

bool known_activation(const std::string& a) {
  for (const char* k : kActivations)
    if (a == k) return true;
  return false;
}

LayerWriter::LayerWriter(const ModelSpec& spec, const std::string& graph_name) : spec_(spec), b_(graph_name, 17) {}

std::string LayerWriter::input() {
  return b_.input("input", DType::kFloat32, {Dim::symbolic("N"), spec_.channels, spec_.height, spec_.width});
}

Tensor LayerWriter::filled(const Shape& shape, float value) {
  auto t = Tensor::create(DType::kFloat32, shape);
  if (!t.is_ok()) {
    if (status_.is_ok()) status_ = t.status();
    return Tensor::create(DType::kFloat32, {0}).value();
  }
  float* p = t->data<float>();
  for (int64_t i = 0; i < t->numel(); ++i) p[i] = value;
  return std::move(t).value();
}

Tensor LayerWriter::weight(const std::string& name, const Shape& shape, int64_t fan_in, int64_t fan_out,
                           bool relu_follows) {
  Tensor t = filled(shape, 0.0f);
  std::mt19937_64 rng(splitmix64(spec_.seed ^ splitmix64(fnv1a(name))));
  float* p = t.data<float>();
  if (spec_.init == "he" && relu_follows) {
    // Box-Muller: both variates of each pair, u1 in (0, 1] so the log is finite.
    const double stddev = std::sqrt(2.0 / static_cast<double>(fan_in));
    for (int64_t i = 0; i < t.numel(); i += 2) {
      double r = std::sqrt(-2.0 * std::log(1.0 - unit(rng))), a = 2.0 * std::numbers::pi * unit(rng);
      p[i] = static_cast<float>(stddev * r * std::cos(a));
      if (i + 1 < t.numel()) p[i + 1] = static_cast<float>(stddev * r * std::sin(a));
    }
  } else {
    const double bound = std::sqrt(6.0 / static_cast<double>(fan_in + fan_out));
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = static_cast<float>(bound * (2.0 * unit(rng) - 1.0));
  }
  return t;
}

std::string LayerWriter::scalar(const std::string& name, float value) {
  auto it = scalars_.find(name);
  if (it != scalars_.end()) return it->second;
  auto t = Tensor::scalar<float>(value);
  if (!t.is_ok() && status_.is_ok()) status_ = t.status();
  return scalars_[name] = b_.constant(name, t.is_ok() ? std::move(t).value() : Tensor());
}

std::string LayerWriter::conv_bn(const std::string& x, int64_t cin, int64_t cout, int64_t kernel, int64_t stride,
                                 int64_t groups, bool relu_follows, const std::string& conv,
                                 const std::string& bn) {
  const int64_t per_group = cin / groups, pad = kernel / 2;
  std::string w = b_.constant(conv + ".weight",
                              weight(conv + ".weight", {cout, per_group, kernel, kernel},
                                     per_group * kernel * kernel, cout * kernel * kernel, relu_follows));
  std::string y = b_.node("Conv", {x, w},
                          {{"kernel_shape", Attribute::make_ints({kernel, kernel})},
                           {"strides", Attribute::make_ints({stride, stride})},
                           {"pads", Attribute::make_ints({pad, pad, pad, pad})},
                           {"group", Attribute::make_int(groups)}},
                          conv);
  return b_.node("BatchNormalization",
                 {y, b_.constant(bn + ".scale", filled({cout}, 1.0f)), b_.constant(bn + ".bias", filled({cout}, 0.0f)),
                  b_.constant(bn + ".mean", filled({cout}, 0.0f)), b_.constant(bn + ".var", filled({cout}, 1.0f))},
                 {{"epsilon", Attribute::make_float(1e-5f)}, {"momentum", Attribute::make_float(0.9f)}}, bn);
}

std::string LayerWriter::conv_with_bias(const std::string& x, int64_t cin, int64_t cout, bool relu_follows,
                                        const std::string& name) {
  std::string w = b_.constant(name + ".weight", weight(name + ".weight", {cout, cin, 1, 1}, cin, cout, relu_follows));
  std::string bias = b_.constant(name + ".bias", filled({cout}, 0.0f));
  return b_.node("Conv", {x, w, bias}, {{"kernel_shape", Attribute::make_ints({1, 1})}}, name);
}

std::string LayerWriter::gemm(const std::string& x, int64_t in, int64_t out, bool relu_follows,
                              const std::string& name) {
  std::string w = b_.constant(name + ".weight", weight(name + ".weight", {out, in}, in, out, relu_follows));
  std::string bias = b_.constant(name + ".bias", filled({out}, 0.0f));
  return b_.node("Gemm", {x, w, bias}, {{"transB", Attribute::make_int(1)}}, name);
}

std::string LayerWriter::activation(const std::string& x, const std::string& act, const std::string& name) {
  if (act == "relu") return b_.node("Relu", {x}, {}, name);
  if (act == "relu6") return b_.node("Clip", {x, scalar("const.zero", 0.0f), scalar("const.six", 6.0f)}, {}, name);
  if (act == "tanh") return b_.node("Tanh", {x}, {}, name);
  if (act == "sigmoid") return b_.node("Sigmoid", {x}, {}, name);
  if (act == "hardswish") return b_.node("HardSwish", {x}, {}, name);
  if (act != "gelu" && status_.is_ok()) status_ = invalid_argument("activation: unknown '" + act + "'");
  // Opset 17 has no Gelu: x * 0.5 * (1 + erf(x / sqrt 2)), the form exporters
  // emit and passes/gelu_fusion.cc folds back into one node.
  std::string e = b_.node("Div", {x, scalar("const.sqrt2", static_cast<float>(std::numbers::sqrt2))}, {}, name + ".div");
  e = b_.node("Erf", {e}, {}, name + ".erf");
  e = b_.node("Add", {e, scalar("const.one", 1.0f)}, {}, name + ".add");
  e = b_.node("Mul", {x, e}, {}, name + ".mul");
  return b_.node("Mul", {e, scalar("const.half", 0.5f)}, {}, name);
}

std::string LayerWriter::dropout(const std::string& x, double ratio, const std::string& name) {
  return b_.node("Dropout", {x, scalar("const.dropout_ratio", static_cast<float>(ratio))}, {}, name);
}

std::string LayerWriter::node(const std::string& op_type, const std::vector<std::string>& inputs,
                              const std::map<std::string, Attribute>& attributes, const std::string& name) {
  return b_.node(op_type, inputs, attributes, name);
}

Result<Model> LayerWriter::finish(const std::string& x, int64_t classes) {
  EW_RETURN_IF_ERROR(status_);
  EW_ASSIGN_OR_RETURN(Model m, b_.build());
  for (Node& n : m.graph.nodes)
    for (std::string& out : n.outputs)
      if (out == x) out = "logits";
  m.graph.outputs = {{"logits", ValueType{DType::kFloat32, true, {Dim::symbolic("N"), classes}}}};
  m.producer_name = "edgewise model builder";
  m.metadata["edgewise.model_spec"] = model_spec_to_json(spec_);
  return m;
}

}  // namespace ew::train::detail
