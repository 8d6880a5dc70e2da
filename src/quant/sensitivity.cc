#include "quant/sensitivity.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "passes/graph_rewrite.h"
#include "ir/body_rewrite.h"
#include "passes/pass_list.h"
#include "quant/body_quantization.h"
#include "quant/dynamic_quantizer.h"
#include "quant/int4_quantizer.h"
#include "quant/qdq_quantizer.h"
#include "quant/weight_matmul.h"
#include "runtime/session.h"

namespace ew::quant {
namespace {

SessionOptions session_options(int threads) {
  SessionOptions o;
  o.threads = threads;
  return o;
}

// Layers of model.graph given 4 bits become MatMulNBits (after a static rewrite left them float).
Status apply_int4_graph(Model& m, const QuantizeOptions& o, std::vector<LayerQuantReport>&) {
  bool changed = false;
  WeightCache cache;
  for (size_t i = 0; i < m.graph.nodes.size(); ++i) {
    auto it = o.layer_bits.find(m.graph.nodes[i].name);
    if (it == o.layer_bits.end() || it->second != 4) continue;
    auto wm = weight_matmul(m.graph, m.graph.nodes[i]);
    if (!wm) continue;
    EW_RETURN_IF_ERROR(rewrite_int4(m, i, *wm, o, nullptr, &cache));
    changed = true;
  }
  if (!changed) return Status::ok();
  EW_RETURN_IF_ERROR(m.graph.sort_and_validate());
  return kDeadCodeElimination.run(m).status();
}

// The same in the main graph and every body.
Status apply_int4_layers(Model& m, const QuantizeOptions& o) {
  std::vector<LayerQuantReport> unused;
  EW_RETURN_IF_ERROR(apply_int4_graph(m, o, unused));
  return quantize_bodies(m, o, apply_int4_graph, nullptr);
}

// Names of every node, body nodes scoped ("If_0/then_branch/conv1").
std::vector<std::string> all_node_names(const Model& model) {
  std::vector<std::string> names;
  for (const Node& n : model.graph.nodes) names.push_back(n.name);
  Model copy = model;
  (void)rewrite_bodies(copy, {}, [&](Model& body, const std::string& path) {
    for (const Node& n : body.graph.nodes) names.push_back(scoped_name(path, n.name));
    return Status::ok();
  });
  return names;
}

// The quantizable layers of one graph, named under `path`.
void graph_layers(const Graph& g, QuantMode mode, const std::string& path, std::vector<QuantLayer>& out) {
  for (const Node& n : g.nodes) {
    if (!n.domain.empty() || n.name.empty()) continue;
    auto wm = weight_matmul(g, n);
    QuantLayer l{scoped_name(path, n.name), n.op_type, wm ? wm->weight.numel() : 0, {}, wm ? wm->weight_key : ""};
    if (mode == QuantMode::kStatic && n.op_type == "Conv") {
      const Tensor* w = n.inputs.size() > 1 ? constant_of(g, n.inputs[1]) : nullptr;
      l.params = w ? w->numel() : 0;
      l.weight = n.inputs.size() > 1 ? n.inputs[1] : "";
      l.bits = {8};
    } else if (mode == QuantMode::kStatic && (n.op_type == "MatMul" || n.op_type == "Gemm")) {
      l.bits = wm ? std::vector<int>{4, 8} : std::vector<int>{8};
    } else if (wm && (mode == QuantMode::kDynamic || mode == QuantMode::kInt4)) {
      l.bits = mode == QuantMode::kDynamic ? std::vector<int>{4, 8} : std::vector<int>{4};
    }
    if (!l.bits.empty()) out.push_back(l);
  }
}

Result<OutputComparison> compare(const Session& reference, const Model& candidate, CalibrationSource& data,
                                 int samples, int threads) {
  EW_ASSIGN_OR_RETURN(auto session, Session::create(candidate, session_options(threads)));
  EW_RETURN_IF_ERROR(data.rewind());
  EvalOptions eo;
  eo.count = samples;
  return compare_outputs(reference, *session, data, eo);
}

// Options quantizing only `layer` at `bits`: every other node stays float.
QuantizeOptions only_layer(const Model& m, const QuantizeOptions& base, const std::string& layer, int bits) {
  QuantizeOptions o = base;
  for (const std::string& n : all_node_names(m)) o.layer_bits[n] = n == layer ? bits : 32;
  return o;
}

}  // namespace

std::vector<QuantLayer> quantizable_layers(const Model& model, QuantMode mode) {
  std::vector<QuantLayer> out;
  graph_layers(model.graph, mode, "", out);
  Model copy = model;
  BodyRewriteOptions lend;  // outer weights a body reads count as its weights, as the quantizers see them
  lend.lend_outer_initializers = true;
  (void)rewrite_bodies(copy, lend, [&](Model& body, const std::string& path) {
    graph_layers(body.graph, mode, path, out);
    return Status::ok();
  });
  return out;
}

Result<Model> quantize_copy(const Model& model, const QuantizeOptions& options, const RangeMap& ranges) {
  Model m = model;
  switch (options.mode) {
    case QuantMode::kStatic:
      EW_RETURN_IF_ERROR(quantize_static(m, ranges, options, nullptr));
      EW_RETURN_IF_ERROR(apply_int4_layers(m, options));
      return m;
    case QuantMode::kDynamic:
      EW_RETURN_IF_ERROR(quantize_dynamic(m, options, nullptr));
      return m;
    case QuantMode::kInt4:
      EW_RETURN_IF_ERROR(quantize_int4(m, options, nullptr));
      return m;
    case QuantMode::kFp16:
      break;
  }
  return unsupported("sensitivity analysis and mixed precision need --mode static, dynamic or int4");
}

Result<OutputComparison> measure_against(const Model& reference, const Model& candidate, CalibrationSource& data,
                                         int samples, int threads) {
  EW_ASSIGN_OR_RETURN(auto ref, Session::create(reference, session_options(threads)));
  return compare(*ref, candidate, data, samples, threads);
}

Result<SensitivityReport> analyze_sensitivity(const Model& model, const QuantizeOptions& options, const RangeMap& ranges,
                                              CalibrationSource& data, const SensitivityOptions& sopts) {
  const std::vector<QuantLayer> layers = quantizable_layers(model, options.mode);
  if (layers.empty()) return invalid_argument("the model has no layers this mode quantizes");
  EW_ASSIGN_OR_RETURN(auto ref, Session::create(model, session_options(sopts.threads)));
  SensitivityReport r;
  r.samples = sopts.samples;
  int total = 0, done = 0;
  for (const QuantLayer& l : layers) total += static_cast<int>(l.bits.size());
  for (const QuantLayer& l : layers) {
    for (int bits : l.bits) {
      EW_ASSIGN_OR_RETURN(Model q, quantize_copy(model, only_layer(model, options, l.node, bits), ranges));
      EW_ASSIGN_OR_RETURN(OutputComparison c, compare(*ref, q, data, sopts.samples, sopts.threads));
      r.layers.push_back({l.node, l.op_type, bits, l.params, c});
      if (sopts.progress) sopts.progress(++done, total);
    }
  }
  std::stable_sort(r.layers.begin(), r.layers.end(),
                   [](const LayerSensitivity& a, const LayerSensitivity& b) { return a.output.sqnr_db < b.output.sqnr_db; });
  if (!sopts.full_model) return r;
  Model full = model;
  QuantizeReport qr;
  switch (options.mode) {
    case QuantMode::kStatic: EW_RETURN_IF_ERROR(quantize_static(full, ranges, options, &qr)); break;
    case QuantMode::kDynamic: EW_RETURN_IF_ERROR(quantize_dynamic(full, options, &qr)); break;
    default: EW_RETURN_IF_ERROR(quantize_int4(full, options, &qr)); break;
  }
  EW_ASSIGN_OR_RETURN(r.full_output, compare(*ref, full, data, sopts.samples, sopts.threads));
  EW_ASSIGN_OR_RETURN(r.full, layer_errors(model, full, qr, layers, data, sopts.samples));
  return r;
}

}  // namespace ew::quant
