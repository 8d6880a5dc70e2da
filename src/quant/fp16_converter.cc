#include "quant/fp16_converter.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "ir/body_rewrite.h"
#include "quant/body_quantization.h"

namespace ew::quant {

namespace {

constexpr float kFp16Max = 65504.0f;

// Initializer names read by a node outside the excluded set, and those read by an excluded node.
void find_readers(const Graph& g, const std::vector<std::string>& exclude, std::set<std::string>& free_readers,
                  std::set<std::string>& excluded_readers) {
  for (const Node& n : g.nodes) {
    bool excluded = std::find(exclude.begin(), exclude.end(), n.name) != exclude.end() ||
                    std::find(exclude.begin(), exclude.end(), n.op_type) != exclude.end();
    std::set<std::string> read(n.inputs.begin(), n.inputs.end());
    for (const auto& name : node_implicit_inputs(n)) read.insert(name);
    for (const auto& name : read)
      if (g.is_initializer(name)) (excluded ? excluded_readers : free_readers).insert(name);
  }
}

std::string unique_name(const std::string& base, const std::set<std::string>& taken) {
  std::string name = base;
  for (int k = 1; taken.count(name); ++k) name = base + "_" + std::to_string(k);
  return name;
}

std::set<std::string> names_in_use(const Graph& g) {
  std::set<std::string> names;
  for (const auto& [k, v] : g.initializers) names.insert(k);
  for (const auto& v : g.inputs) names.insert(v.name);
  for (const Node& n : g.nodes) {
    names.insert(n.name);
    names.insert(n.outputs.begin(), n.outputs.end());
  }
  return names;
}

// float32 -> float16, clamping finite values beyond the float16 range.
Result<Tensor> to_fp16(const Tensor& w, int64_t& clamped) {
  EW_ASSIGN_OR_RETURN(Tensor h, Tensor::create(DType::kFloat16, w.shape()));
  const float* src = w.data<float>();
  float16* dst = h.data<float16>();
  for (int64_t i = 0; i < w.numel(); ++i) {
    float v = src[i];
    if (std::isfinite(v) && std::fabs(v) > kFp16Max) {
      v = std::copysign(kFp16Max, v);
      ++clamped;
    }
    dst[i] = float16(v);
  }
  return h;
}

}  // namespace

namespace {

// Converts the initializers of model.graph (see the header), adding to `r`.
Status convert_graph(Model& model, const std::vector<std::string>& exclude_nodes, Fp16Report& r) {
  Graph& g = model.graph;
  std::set<std::string> free_readers, excluded_readers, outputs;
  find_readers(g, exclude_nodes, free_readers, excluded_readers);
  for (const auto& o : g.outputs) outputs.insert(o.name);
  std::set<std::string> taken = names_in_use(g);
  std::vector<Node> casts;
  for (const std::string& name : free_readers) {
    const Tensor& w = g.initializers.at(name);
    if (w.dtype() != DType::kFloat32 || w.numel() < kMinFp16Elements || excluded_readers.count(name) || outputs.count(name))
      continue;
    int64_t clamped = 0;
    EW_ASSIGN_OR_RETURN(Tensor half, to_fp16(w, clamped));
    if (clamped > 0) r.clamped_tensors.push_back(name);
    r.clamped += clamped;
    r.bytes_before += static_cast<int64_t>(w.nbytes());
    r.bytes_after += static_cast<int64_t>(half.nbytes());
    std::string stored = unique_name(name + "_fp16", taken);
    taken.insert(stored);
    Node cast;
    cast.name = unique_name(name + "_fp16_cast", taken);
    taken.insert(cast.name);
    cast.op_type = "Cast";
    cast.inputs = {stored};
    cast.outputs = {name};
    cast.attributes["to"] = Attribute::make_int(static_cast<int64_t>(DType::kFloat32));
    g.value_types[name] = ValueType::of(DType::kFloat32, w.shape());
    g.initializers.erase(name);
    g.initializers[stored] = std::move(half);
    casts.push_back(std::move(cast));
    ++r.converted;
  }
  g.nodes.insert(g.nodes.begin(), std::make_move_iterator(casts.begin()), std::make_move_iterator(casts.end()));
  return g.sort_and_validate();
}

}  // namespace

Result<int> convert_weights_to_fp16(Model& model, const std::vector<std::string>& exclude_nodes, Fp16Report* report) {
  Fp16Report local;
  Fp16Report& r = report ? *report : local;
  r = Fp16Report{};
  if (!model.graph.nodes.empty() && model.opset("") != 0 && model.opset("") < 6)
    return unsupported("fp16 conversion needs opset >= 6 (Cast with an integer 'to'); the model imports opset " +
                       std::to_string(model.opset("")));
  EW_RETURN_IF_ERROR(convert_graph(model, exclude_nodes, r).with_context("after fp16 conversion: "));
  // Outer initializers read by bodies were converted above (the Cast runs outside);
  // the bodies' own initializers are converted inside each body.
  EW_RETURN_IF_ERROR(rewrite_bodies(model, {}, [&](Model& body, const std::string& path) {
    return convert_graph(body, body_names(exclude_nodes, path), r);
  }));
  return r.converted;
}

std::vector<LayerQuantReport> fp16_layers(const Model& model) {
  std::vector<LayerQuantReport> layers;
  auto collect = [&](const Graph& g, const std::string& path) {
    for (const auto& n : g.nodes) {
      if (!n.domain.empty() || (n.op_type != "Conv" && n.op_type != "Gemm" && n.op_type != "MatMul")) continue;
      LayerQuantReport layer;
      layer.node = scoped_name(path, n.name.empty() ? n.outputs[0] : n.name);
      layer.op_type = n.op_type;
      const bool half = n.inputs.size() > 1 && !g.is_initializer(n.inputs[1]);
      layer.bits = half ? 16 : 32;
      layer.why = half ? "fp16 weights" : "weights kept float32";
      layers.push_back(layer);
    }
    return Status::ok();
  };
  Model copy = model;
  (void)collect(copy.graph, "");
  BodyRewriteOptions lend;  // an outer weight still float32 is seen as one in the body
  lend.lend_outer_initializers = true;
  (void)rewrite_bodies(copy, lend, [&](Model& body, const std::string& path) { return collect(body.graph, path); });
  return layers;
}

}  // namespace ew::quant
