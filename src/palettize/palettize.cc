#include "palettize/palettize.h"

#include <cmath>
#include <map>
#include <set>

#include "palettize/kmeans.h"
#include "passes/opset/opset_converter.h"
#include "train/gradient_builder.h"

namespace ew::palettize {
namespace {

constexpr const char* kPrefix = "palette/";

// Initializers read only as a Conv/ConvTranspose/Gemm/MatMul weight (input 1, or either MatMul input).
std::set<std::string> weight_initializers(const Graph& g) {
  std::map<std::string, bool> ok;  // name -> every use is a weight use
  for (const Node& n : g.nodes) {
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      const std::string& in = n.inputs[i];
      if (in.empty() || !g.is_initializer(in)) continue;
      const bool weight = n.domain.empty() && (((n.op_type == "Conv" || n.op_type == "ConvTranspose" || n.op_type == "Gemm") && i == 1) ||
                                               (n.op_type == "MatMul" && i < 2));
      auto it = ok.find(in);
      ok[in] = (it == ok.end() ? true : it->second) && weight;
    }
  }
  for (const ValueInfo& o : g.outputs) ok[o.name] = false;
  std::set<std::string> out;
  for (const auto& [name, w] : ok)
    if (w) out.insert(name);
  return out;
}

class Writer {
 public:
  Writer(std::vector<Node>& nodes, std::map<std::string, Tensor>& inits, const std::string& base)
      : nodes_(nodes), inits_(inits), base_(kPrefix + base + "/") {}
  std::string node(const std::string& op, std::vector<std::string> in, std::map<std::string, Attribute> attrs = {},
                   const std::string& out = "") {
    const std::string name = base_ + op + "_" + std::to_string(count_++);
    nodes_.push_back(Node{name, op, "", std::move(in), {out.empty() ? name : out}, std::move(attrs)});
    return nodes_.back().outputs[0];
  }
  std::string constant(const std::string& hint, Tensor t) {
    const std::string name = base_ + hint;
    inits_[name] = std::move(t);
    return name;
  }
  // A constant every palettized weight shares (shift amounts, axes).
  std::string shared(const std::string& hint, Tensor t) {
    const std::string name = kPrefix + hint;
    if (!inits_.count(name)) inits_[name] = std::move(t);
    return name;
  }

 private:
  std::vector<Node>& nodes_;
  std::map<std::string, Tensor>& inits_;
  std::string base_;
  int count_ = 0;
};

int storage_bits(int bits) { return bits == 1 || bits == 2 || bits == 4 ? bits : 8; }

// Indices packed LSB first, 8 / storage_bits per byte.
std::vector<uint8_t> pack(const std::vector<uint8_t>& index, int stored) {
  const size_t per = static_cast<size_t>(8 / stored);
  std::vector<uint8_t> bytes((index.size() + per - 1) / per, 0);
  for (size_t i = 0; i < index.size(); ++i) bytes[i / per] |= static_cast<uint8_t>(index[i] << (stored * (i % per)));
  return bytes;
}

// Nodes that turn the packed bytes back into int64 indices shaped like the weight.
std::string unpack(Writer& w, const std::string& packed, int stored, int64_t count, const Shape& shape) {
  const int per = 8 / stored;
  std::string flat = packed;
  if (per > 1) {
    auto u8 = [&](uint8_t v) { return w.shared("shift_" + std::to_string(v), Tensor::from_vector<uint8_t>({1}, {v}).value()); };
    const std::string right = u8(static_cast<uint8_t>(8 - stored));
    const std::string axes = w.shared("axis_1", Tensor::from_vector<int64_t>({1}, {1}).value());
    std::vector<std::string> parts;
    for (int j = 0; j < per; ++j) {
      const int left = 8 - stored * (j + 1);
      std::string v = packed;
      if (left > 0)
        v = w.node("BitShift", {v, u8(static_cast<uint8_t>(left))},
                   {{"direction", Attribute::make_string("LEFT")}});
      v = w.node("BitShift", {v, right}, {{"direction", Attribute::make_string("RIGHT")}});
      parts.push_back(w.node("Unsqueeze", {v, axes}));
    }
    const std::string rows = w.node("Concat", parts, {{"axis", Attribute::make_int(1)}});
    flat = w.node("Reshape", {rows, w.shared("flat", Tensor::from_vector<int64_t>({1}, {-1}).value())});
    if (static_cast<int64_t>(per) * ((count + per - 1) / per) != count)
      flat = w.node("Slice", {flat, w.shared("start", Tensor::from_vector<int64_t>({1}, {0}).value()),
                              w.constant("end", Tensor::from_vector<int64_t>({1}, {count}).value())});
  }
  const std::string shaped =
      w.node("Reshape", {flat, w.constant("shape", Tensor::from_vector<int64_t>({static_cast<int64_t>(shape.size())}, shape).value())});
  return w.node("Cast", {shaped}, {{"to", Attribute::make_int(static_cast<int64_t>(DType::kInt64))}});
}

bool skipped(const std::string& name, const std::vector<std::string>& patterns) {
  for (const std::string& p : patterns)
    if (train::glob_match(p, name)) return true;
  return false;
}

}  // namespace

bool is_palette_node(const Node& node) { return node.name.rfind(kPrefix, 0) == 0; }

Result<PalettizeReport> palettize(Model& model, const PalettizeOptions& o) {
  if (o.bits < 1 || o.bits > 8) return invalid_argument("palettization takes 1 to 8 bits, got " + std::to_string(o.bits));
  const int64_t opset = model.opset("");
  if (opset < 11) return invalid_argument("palettization needs opset >= 11 (BitShift); the model has opset " + std::to_string(opset) +
                                          " (edgewise optimize --target-opset 13 raises it)");
  if (opset < 13) EW_RETURN_IF_ERROR(convert_opset(model, 13));  // Unsqueeze takes its axes as an input from 13
  Graph& g = model.graph;
  PalettizeReport r;
  r.bits = o.bits;
  for (const auto& [name, t] : g.initializers)
    if (t.dtype() == DType::kFloat32) r.float_weight_bytes += static_cast<int64_t>(t.nbytes());
  r.palettized_bytes = r.float_weight_bytes;
  std::vector<Node> nodes;
  const int stored = storage_bits(o.bits);
  for (const std::string& name : weight_initializers(g)) {
    const Tensor& t = g.initializers.at(name);
    if (t.dtype() != DType::kFloat32 || t.rank() < 2 || t.numel() < o.min_elements || skipped(name, o.skip)) continue;
    const Palette p = kmeans_1d(t.data<float>(), t.numel(), 1 << o.bits);
    double signal = 0;
    for (int64_t i = 0; i < t.numel(); ++i) signal += double(t.data<float>()[i]) * t.data<float>()[i];
    LayerPalette lp{name, t.numel(), static_cast<int>(p.centroids.size()),
                    p.squared_error > 0 ? 10 * std::log10(signal / p.squared_error) : INFINITY,
                    static_cast<int64_t>(t.nbytes()), 0};
    const std::vector<uint8_t> bytes = pack(p.index, stored);
    lp.bytes_after = static_cast<int64_t>(bytes.size() + p.centroids.size() * sizeof(float));
    Writer w(nodes, g.initializers, name);
    const std::string codebook =
        w.constant("codebook", Tensor::from_vector<float>({static_cast<int64_t>(p.centroids.size())}, p.centroids).value());
    const std::string packed =
        w.constant("indices", Tensor::from_vector<uint8_t>({static_cast<int64_t>(bytes.size())}, bytes).value());
    const Shape shape = t.shape();
    const std::string index = unpack(w, packed, stored, t.numel(), shape);
    g.initializers.erase(name);  // `t` dangles from here
    w.node("Gather", {codebook, index}, {{"axis", Attribute::make_int(0)}}, name);
    r.palettized_bytes += lp.bytes_after - lp.bytes_before;
    r.layers.push_back(lp);
  }
  if (r.layers.empty()) return invalid_argument("no weight to palettize (float Conv/Gemm/MatMul weights of at least " +
                                                std::to_string(o.min_elements) + " values)");
  g.nodes.insert(g.nodes.begin(), nodes.begin(), nodes.end());
  return r;
}

}  // namespace ew::palettize
