#include "quant/dynamic_quantizer.h"

#include <map>

#include "passes/graph_rewrite.h"
#include "passes/pass_list.h"
#include "quant/body_quantization.h"
#include "quant/int4_quantizer.h"
#include "quant/qdq_quantizer.h"
#include "quant/quant_params.h"
#include "quant/weight_matmul.h"

namespace ew::quant {
namespace {

// The outputs of the DynamicQuantizeLinear shared by every layer reading `x`.
struct DynamicInput {
  std::string q, scale, zero_point;
};

Node make_node(Graph& g, const std::string& name, const char* op, std::vector<std::string> in,
               std::vector<std::string> out) {
  Node n;
  n.name = fresh_name(g, name);
  n.op_type = op;
  n.inputs = std::move(in);
  n.outputs = std::move(out);
  return n;
}

DynamicInput dynamic_input(Graph& g, const std::string& x, std::map<std::string, DynamicInput>& made,
                           std::vector<Node>& added) {
  auto it = made.find(x);
  if (it != made.end()) return it->second;
  DynamicInput d{fresh_name(g, x + "_quantized"), fresh_name(g, x + "_scale"), fresh_name(g, x + "_zero_point")};
  added.push_back(make_node(g, x + "_DynamicQuantizeLinear", "DynamicQuantizeLinear", {x}, {d.q, d.scale, d.zero_point}));
  return made[x] = d;
}

double dequantized_sqnr(const Tensor& w, const QuantizedTensor& q, int axis) {
  Tensor dq = Tensor::create(DType::kFloat32, w.shape()).value();
  const int64_t cols = w.shape()[1];
  for (int64_t i = 0; i < w.numel(); ++i) {
    const int64_t c = axis < 0 ? 0 : i % cols;
    dq.data<float>()[i] = static_cast<float>(q.values.get_int64(i) - q.zero_point.get_int64(c)) *
                          static_cast<float>(q.scale.get_double(c));
  }
  return sqnr_db(w, dq);
}

// Replaces node i by the MatMulInteger group; new nodes go to `added`.
Status rewrite_dynamic(Graph& g, size_t i, const WeightMatMul& m, const QuantizeOptions& o,
                       std::map<std::string, DynamicInput>& made, std::vector<Node>& added, LayerQuantReport* r,
                       WeightCache& cache) {
  const int axis = o.per_channel ? 1 : -1;
  EW_ASSIGN_OR_RETURN(QuantizedTensor q, quantize_tensor(m.weight, DType::kInt8, axis, /*symmetric=*/true, o.reduce_range));
  r->bits = 8;
  r->why = o.per_channel ? "int8 weight per column, activation quantized at run time" : "int8 weight per tensor";
  r->weight_sqnr_db = dequantized_sqnr(m.weight, q, axis);
  r->weight_scale_min = r->weight_scale_max = static_cast<float>(q.scale.get_double(0));
  for (int64_t c = 0; c < q.scale.numel(); ++c) {
    r->weight_scale_min = std::min(r->weight_scale_min, static_cast<float>(q.scale.get_double(c)));
    r->weight_scale_max = std::max(r->weight_scale_max, static_cast<float>(q.scale.get_double(c)));
  }
  const std::string base = g.nodes[i].name.empty() ? m.output : g.nodes[i].name;
  const DynamicInput x = dynamic_input(g, m.activation, made, added);
  const std::string key = m.weight_key + (o.per_channel ? "/int8/channel" : "/int8/tensor");
  if (!cache.count(key))
    cache[key] = {add_initializer(g, base + "_weight_quantized", std::move(q.values)),
                  add_initializer(g, base + "_weight_scale", std::move(q.scale)),
                  add_initializer(g, base + "_weight_zero_point", std::move(q.zero_point))};
  const std::string &wq = cache[key][0], &ws = cache[key][1], &wz = cache[key][2];
  const std::string scale = fresh_name(g, base + "_scale"), acc = fresh_name(g, base + "_int32");
  const std::string acc_f = fresh_name(g, base + "_int32_float");
  const std::string y = m.bias.empty() ? m.output : fresh_name(g, base + "_scaled");
  added.push_back(make_node(g, base + "_scale_Mul", "Mul", {x.scale, ws}, {scale}));
  added.push_back(make_node(g, base + "_MatMulInteger", "MatMulInteger", {x.q, wq, x.zero_point, wz}, {acc}));
  Node cast = make_node(g, base + "_Cast", "Cast", {acc}, {acc_f});
  cast.attributes["to"] = Attribute::make_int(static_cast<int64_t>(DType::kFloat32));
  added.push_back(std::move(cast));
  added.push_back(make_node(g, base + "_output_Mul", "Mul", {acc_f, scale}, {y}));
  if (!m.bias.empty()) added.push_back(make_node(g, base + "_bias_Add", "Add", {y, m.bias}, {m.output}));
  mark_removed(g.nodes[i]);
  return Status::ok();
}

}  // namespace

namespace {

// Rewrites the weight MatMul/Gemm nodes of model.graph, appending their reports to `layers`.
Status quantize_dynamic_graph(Model& model, const QuantizeOptions& options, std::vector<LayerQuantReport>& layers) {
  Graph& g = model.graph;
  std::map<std::string, DynamicInput> made;
  std::vector<Node> added;
  WeightCache cache;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    auto m = weight_matmul(g, g.nodes[i]);
    if (!m) continue;
    LayerQuantReport layer{g.nodes[i].name, g.nodes[i].op_type};
    const int bits = bits_for(g.nodes[i], options, 8);
    if (bits == 4) {
      EW_RETURN_IF_ERROR(rewrite_int4(model, i, *m, options, &layer, &cache));
      layer.why = "block-wise int4 weight (mixed precision)";
    } else if (bits == 8) {
      EW_RETURN_IF_ERROR(rewrite_dynamic(g, i, *m, options, made, added, &layer, cache));
    } else {
      layer.why = "kept float by --exclude or mixed precision";
    }
    layers.push_back(layer);
  }
  erase_removed(g);
  for (Node& n : added) g.nodes.push_back(std::move(n));
  EW_RETURN_IF_ERROR(g.sort_and_validate());  // dead code elimination needs topological order
  return kDeadCodeElimination.run(model).status();
}

}  // namespace

Status quantize_dynamic(Model& model, const QuantizeOptions& options, QuantizeReport* report) {
  QuantizeReport local;
  QuantizeReport& r = report ? *report : local;
  EW_ASSIGN_OR_RETURN(r.bytes_before, serialized_bytes(model));
  EW_RETURN_IF_ERROR(quantize_dynamic_graph(model, options, r.layers));
  EW_RETURN_IF_ERROR(quantize_bodies(model, options, quantize_dynamic_graph, &r.layers));
  EW_ASSIGN_OR_RETURN(r.bytes_after, serialized_bytes(model));
  return Status::ok();
}

}  // namespace ew::quant
