#include "quant/int4_quantizer.h"

#include <algorithm>
#include <cmath>

#include "passes/graph_rewrite.h"
#include "passes/pass_list.h"
#include "quant/body_quantization.h"
#include "quant/qdq_quantizer.h"
#include "quant/quant_params.h"

namespace ew::quant {
namespace {

struct BlockParams {
  float scale = 1.0f;
  int32_t zero_point = 8;
};

// Symmetric: q in [-7, 7] around 8 (scale = max|w| / 7). Asymmetric: the
// block's range widened to include 0 over [0, 15].
BlockParams block_params(const float* w, int64_t count, int64_t stride, bool symmetric) {
  float lo = 0.0f, hi = 0.0f;
  for (int64_t i = 0; i < count; ++i) {
    lo = std::min(lo, w[i * stride]);
    hi = std::max(hi, w[i * stride]);
  }
  BlockParams p;
  if (symmetric) {
    const float amax = std::max(-lo, hi);
    p.scale = amax > 0.0f ? amax / 7.0f : 1.0f;
    return p;
  }
  p.scale = hi > lo ? (hi - lo) / 15.0f : 1.0f;
  p.zero_point = static_cast<int32_t>(std::clamp(std::nearbyint(-lo / p.scale), 0.0f, 15.0f));
  return p;
}

int32_t quantize4(float w, const BlockParams& p) {
  return static_cast<int32_t>(std::clamp(std::nearbyint(w / p.scale) + static_cast<float>(p.zero_point), 0.0f, 15.0f));
}

void put_nibble(uint8_t* row, int64_t i, int32_t q) { row[i / 2] |= static_cast<uint8_t>(q << (4 * (i % 2))); }

}  // namespace

Result<NBitsWeight> quantize_nbits(const Tensor& weight, int block_size, bool symmetric, LayerQuantReport* report) {
  if (weight.dtype() != DType::kFloat32 || weight.rank() != 2) return invalid_argument("int4: weight must be a float32 matrix");
  if (block_size < 16 || (block_size & (block_size - 1)) != 0)
    return invalid_argument("int4: block size must be a power of two >= 16, got " + std::to_string(block_size));
  const int64_t K = weight.shape()[0], N = weight.shape()[1], blocks = (K + block_size - 1) / block_size;
  const int64_t blob = block_size / 2, zp_row = (blocks + 1) / 2;
  NBitsWeight out;
  EW_ASSIGN_OR_RETURN(out.packed, Tensor::create(DType::kUInt8, {N, blocks, blob}));
  EW_ASSIGN_OR_RETURN(out.scales, Tensor::create(DType::kFloat32, {N * blocks}));
  if (!symmetric) { EW_ASSIGN_OR_RETURN(out.zero_points, Tensor::create(DType::kUInt8, {N * zp_row})); }
  EW_ASSIGN_OR_RETURN(Tensor dequantized, Tensor::create(DType::kFloat32, {K, N}));
  const float* w = weight.data<float>();
  float* dq = dequantized.data<float>();
  float smin = INFINITY, smax = 0.0f;
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t b = 0; b < blocks; ++b) {
      const int64_t k0 = b * block_size, count = std::min<int64_t>(block_size, K - k0);
      const BlockParams p = block_params(w + k0 * N + n, count, N, symmetric);
      out.scales.data<float>()[n * blocks + b] = p.scale;
      smin = std::min(smin, p.scale);
      smax = std::max(smax, p.scale);
      if (!symmetric) put_nibble(out.zero_points.data<uint8_t>() + n * zp_row, b, p.zero_point);
      uint8_t* row = out.packed.data<uint8_t>() + (n * blocks + b) * blob;
      for (int64_t i = 0; i < block_size; ++i) {
        const int32_t q = i < count ? quantize4(w[(k0 + i) * N + n], p) : p.zero_point;
        put_nibble(row, i, q);
        if (i < count) dq[(k0 + i) * N + n] = static_cast<float>(q - p.zero_point) * p.scale;
      }
    }
  }
  if (report) {
    report->bits = 4;
    report->weight_scale_min = smin;
    report->weight_scale_max = smax;
    report->weight_sqnr_db = sqnr_db(weight, dequantized);
  }
  return out;
}

namespace {

// The initializers holding the packed weight, scales and zero points.
Result<std::vector<std::string>> nbits_inputs(Graph& g, const std::string& base, const WeightMatMul& m,
                                              const QuantizeOptions& options, LayerQuantReport* report,
                                              WeightCache* cache) {
  EW_ASSIGN_OR_RETURN(NBitsWeight q, quantize_nbits(m.weight, options.block_size, options.int4_symmetric, report));
  const std::string key = m.weight_key + "/int4/" + std::to_string(options.block_size) +
                          (options.int4_symmetric ? "s" : "a");
  if (cache && cache->count(key)) return cache->at(key);
  std::vector<std::string> names{add_initializer(g, base + "_w4", std::move(q.packed)),
                                 add_initializer(g, base + "_w4_scales", std::move(q.scales))};
  if (q.zero_points.defined()) names.push_back(add_initializer(g, base + "_w4_zero_points", std::move(q.zero_points)));
  if (cache) (*cache)[key] = names;
  return names;
}

}  // namespace

Status rewrite_int4(Model& model, size_t node_index, const WeightMatMul& m, const QuantizeOptions& options,
                    LayerQuantReport* report, WeightCache* cache) {
  Graph& g = model.graph;
  const std::string base = g.nodes[node_index].name.empty() ? m.output : g.nodes[node_index].name;
  EW_ASSIGN_OR_RETURN(std::vector<std::string> weights, nbits_inputs(g, base, m, options, report, cache));
  Node nbits;
  nbits.name = fresh_name(g, base + "_nbits");
  nbits.op_type = "MatMulNBits";
  nbits.domain = "com.microsoft";
  nbits.inputs = {m.activation};
  nbits.inputs.insert(nbits.inputs.end(), weights.begin(), weights.end());
  nbits.attributes["K"] = Attribute::make_int(m.weight.shape()[0]);
  nbits.attributes["N"] = Attribute::make_int(m.weight.shape()[1]);
  nbits.attributes["bits"] = Attribute::make_int(4);
  nbits.attributes["block_size"] = Attribute::make_int(options.block_size);
  Node add;
  if (!m.bias.empty()) {
    nbits.outputs = {fresh_name(g, base + "_nbits_out")};
    add.name = fresh_name(g, base + "_bias");
    add.op_type = "Add";
    add.inputs = {nbits.outputs[0], m.bias};
    add.outputs = {m.output};
  } else {
    nbits.outputs = {m.output};
  }
  g.nodes[node_index] = std::move(nbits);
  if (!m.bias.empty()) g.nodes.insert(g.nodes.begin() + static_cast<std::ptrdiff_t>(node_index) + 1, std::move(add));
  ensure_opset(model, "com.microsoft", 1);
  return Status::ok();
}

namespace {

// Rewrites the weight MatMul/Gemm nodes of model.graph, appending their reports to `layers`.
Status quantize_int4_graph(Model& model, const QuantizeOptions& options, std::vector<LayerQuantReport>& layers) {
  WeightCache cache;
  for (size_t i = 0; i < model.graph.nodes.size(); ++i) {
    const Node& node = model.graph.nodes[i];
    auto m = weight_matmul(model.graph, node);
    if (!m) continue;
    LayerQuantReport layer{node.name, node.op_type};
    if (bits_for(node, options, 4) != 4) {
      layer.why = "kept float by --exclude or mixed precision";
      layers.push_back(layer);
      continue;
    }
    layer.why = "block-wise int4 weight";
    EW_RETURN_IF_ERROR(rewrite_int4(model, i, *m, options, &layer, &cache));
    layers.push_back(layer);
  }
  EW_RETURN_IF_ERROR(model.graph.sort_and_validate());  // dead code elimination needs topological order
  return kDeadCodeElimination.run(model).status();
}

}  // namespace

Status quantize_int4(Model& model, const QuantizeOptions& options, QuantizeReport* report) {
  if (report) { EW_ASSIGN_OR_RETURN(report->bytes_before, serialized_bytes(model)); }
  std::vector<LayerQuantReport> layers;
  EW_RETURN_IF_ERROR(quantize_int4_graph(model, options, layers));
  EW_RETURN_IF_ERROR(quantize_bodies(model, options, quantize_int4_graph, &layers));
  if (report) {
    report->layers.insert(report->layers.end(), layers.begin(), layers.end());
    EW_ASSIGN_OR_RETURN(report->bytes_after, serialized_bytes(model));
  }
  return Status::ok();
}

}  // namespace ew::quant
