#include "train/loss.h"

#include <set>

#include "ir/graph_builder.h"
#include "ops/grad/grad_domain.h"

namespace ew::train {
namespace {

// Adds nodes to a graph with names that cannot collide with the forward's.
class LossWriter {
 public:
  explicit LossWriter(Graph& g) : g_(g) {}
  std::string node(const std::string& op, const std::vector<std::string>& in, std::map<std::string, Attribute> attrs = {},
                   const std::string& domain = "", int outputs = 1, std::vector<std::string>* all = nullptr) {
    Node n;
    n.op_type = op;
    n.domain = domain;
    n.name = "loss/" + op + "_" + std::to_string(count_);
    n.inputs = in;
    for (int i = 0; i < outputs; ++i) n.outputs.push_back("loss/" + std::to_string(count_) + "_" + std::to_string(i));
    n.attributes = std::move(attrs);
    ++count_;
    g_.nodes.push_back(n);
    if (all) *all = n.outputs;
    return n.outputs[0];
  }
  std::string constant(Tensor t) {
    std::string name = "loss/const_" + std::to_string(count_++);
    g_.initializers[name] = std::move(t);
    return name;
  }
  std::string scalar(float v) { return constant(Tensor::scalar<float>(v).value()); }
  std::string mean(const std::string& x) { return node("ReduceMean", {x}, {{"keepdims", Attribute::make_int(0)}}); }

 private:
  Graph& g_;
  int count_ = 0;
};

Result<ValueInfo> prediction_of(const Model& m, const std::string& name) {
  if (m.graph.outputs.empty()) return invalid_argument("the model has no output to train");
  if (name.empty()) return m.graph.outputs[0];
  for (const auto& o : m.graph.outputs)
    if (o.name == name) return o;
  std::string names;
  for (const auto& o : m.graph.outputs) names += (names.empty() ? "" : ", ") + o.name;
  return invalid_argument("the model has no output '" + name + "' (outputs: " + names + ")");
}

ValueType type_of(const Model& m, const std::string& v) {
  const ValueType* t = m.graph.find_type(v);
  return t ? *t : ValueType{};
}

// SoftmaxCrossEntropy of logits `p` [N, C] against int64 `labels` [N].
Result<std::string> cross_entropy(LossWriter& w, const std::string& p, const ValueType& pt, const std::string& labels,
                                  const LossSpec& spec) {
  if (pt.has_shape && pt.dims.size() != 2)
    return invalid_argument("cross-entropy needs logits [N, C]; '" + p + "' has rank " + std::to_string(pt.dims.size()));
  if (spec.label_smoothing < 0 || spec.label_smoothing >= 1)
    return invalid_argument("label smoothing must be in [0, 1), got " + std::to_string(spec.label_smoothing));
  std::vector<std::string> in{p, labels};
  if (!spec.class_weights.empty()) {
    const int64_t c = pt.has_shape && pt.dims[1].known() ? pt.dims[1].value : -1;
    if (c >= 0 && static_cast<int64_t>(spec.class_weights.size()) != c)
      return invalid_argument(std::to_string(spec.class_weights.size()) + " class weights for " + std::to_string(c) +
                              " classes");
    in.push_back(w.constant(Tensor::from_vector<float>({static_cast<int64_t>(spec.class_weights.size())},
                                                       spec.class_weights).value()));
  }
  std::vector<std::string> outs;
  w.node("SoftmaxCrossEntropy", in, {{"label_smoothing", Attribute::make_float(spec.label_smoothing)}}, kGradDomain, 2,
         &outs);
  return outs[0];
}

// T^2 · KL(softmax(t / T) || softmax(p / T)), the batch mean.
Result<std::string> softened_kl(LossWriter& w, const std::string& p, const std::string& t, float temperature) {
  if (!(temperature > 0)) return invalid_argument("temperature must be > 0");
  std::string inv_t = w.scalar(1.0f / temperature);
  std::string ls = w.node("LogSoftmax", {w.node("Mul", {p, inv_t})}, {{"axis", Attribute::make_int(-1)}});
  std::string lt = w.node("LogSoftmax", {w.node("Mul", {t, inv_t})}, {{"axis", Attribute::make_int(-1)}});
  std::string kl = w.node("Mul", {w.node("Exp", {lt}), w.node("Sub", {lt, ls})});
  std::string per_sample = w.node("ReduceSum", {kl, w.constant(Tensor::from_vector<int64_t>({1}, {-1}).value())},
                                  {{"keepdims", Attribute::make_int(0)}});
  return w.node("Mul", {w.mean(per_sample), w.scalar(temperature * temperature)});
}

// Σ ‖θ‖² over the float initializers of rank >= 1 that are not BatchNorm running statistics.
std::string squared_norm(const Model& model, LossWriter& w) {
  std::set<std::string> stats;
  for (const Node& n : model.graph.nodes)
    if (n.op_type == "BatchNormalization" && n.inputs.size() >= 5) stats.insert({n.inputs[3], n.inputs[4]});
  std::vector<std::string> terms;
  for (const auto& [name, t] : model.graph.initializers) {
    if (t.dtype() != DType::kFloat32 || t.rank() == 0 || stats.count(name) || name.rfind("loss/", 0) == 0) continue;
    terms.push_back(w.node("ReduceSum", {w.node("Mul", {name, name})}, {{"keepdims", Attribute::make_int(0)}}));
  }
  if (terms.empty()) return w.scalar(0.0f);
  return terms.size() == 1 ? terms[0] : w.node("Sum", terms);
}

// α·CE(labels, p) + β·T²·KL(softmax(t/T) || softmax(p/T)) + γ·Σ‖θ‖², terms with a zero weight left out.
Result<std::string> distillation(const Model& model, LossWriter& w, const std::string& p, const ValueType& pt,
                                 const LossSpec& spec) {
  if (spec.alpha < 0 || spec.beta < 0 || spec.gamma < 0 || spec.alpha + spec.beta <= 0)
    return invalid_argument("distillation weights must be >= 0 with alpha + beta > 0");
  std::vector<std::string> terms;
  auto weighted = [&](const std::string& v, float k) { terms.push_back(k == 1 ? v : w.node("Mul", {v, w.scalar(k)})); };
  if (spec.alpha > 0) {
    EW_ASSIGN_OR_RETURN(std::string ce, cross_entropy(w, p, pt, "labels", spec));
    weighted(ce, spec.alpha);
  } else if (pt.has_shape && pt.dims.size() != 2) {
    return invalid_argument("distillation needs logits [N, C]; '" + p + "' has rank " + std::to_string(pt.dims.size()));
  }
  if (spec.beta > 0) {
    EW_ASSIGN_OR_RETURN(std::string kl, softened_kl(w, p, kTeacherInput, spec.temperature));
    weighted(kl, spec.beta);
  }
  if (spec.gamma > 0) weighted(squared_norm(model, w), spec.gamma);
  return terms.size() == 1 ? terms[0] : w.node("Sum", terms);
}

}  // namespace

const char* loss_kinds() { return "cross-entropy, mse, l1, bce-with-logits, kl, distill, output"; }

Result<AppendedLoss> append_loss(Model& model, const LossSpec& spec) {
  EW_ASSIGN_OR_RETURN(ValueInfo pred, prediction_of(model, spec.prediction));
  ValueType pt = type_of(model, pred.name);
  if (pt.dtype != DType::kUndefined && pt.dtype != DType::kFloat32)
    return invalid_argument("the prediction '" + pred.name + "' is " + dtype_name(pt.dtype) + "; losses need float32");
  Graph& g = model.graph;
  LossWriter w(g);
  AppendedLoss out;
  auto labels = [&](DType dtype, std::vector<Dim> dims) {
    g.inputs.push_back(ValueInfo{"labels", ValueType{dtype, true, std::move(dims)}});
    out.labels = "labels";
  };
  const std::string& p = pred.name;
  if (spec.kind == "cross-entropy") {
    EW_ASSIGN_OR_RETURN(out.loss, cross_entropy(w, p, pt, "labels", spec));
    labels(DType::kInt64, {pt.has_shape ? pt.dims[0] : Dim::symbolic("N")});
  } else if (spec.kind == "mse" || spec.kind == "l1") {
    labels(DType::kFloat32, pt.dims);
    std::string d = w.node("Sub", {p, "labels"});
    out.loss = w.mean(spec.kind == "mse" ? w.node("Mul", {d, d}) : w.node("Abs", {d}));
  } else if (spec.kind == "bce-with-logits") {
    labels(DType::kFloat32, pt.dims);
    // max(p, 0) - p t + log(1 + exp(-|p|)): stable for large |p|.
    std::string relu = w.node("Relu", {p});
    std::string pt_ = w.node("Mul", {p, "labels"});
    std::string soft = w.node("Softplus", {w.node("Neg", {w.node("Abs", {p})})});
    out.loss = w.mean(w.node("Add", {w.node("Sub", {relu, pt_}), soft}));
  } else if (spec.kind == "kl") {
    labels(DType::kFloat32, pt.dims);
    EW_ASSIGN_OR_RETURN(out.loss, softened_kl(w, p, "labels", spec.temperature));
  } else if (spec.kind == "distill") {
    EW_ASSIGN_OR_RETURN(out.loss, distillation(model, w, p, pt, spec));
    labels(DType::kInt64, {pt.has_shape ? pt.dims[0] : Dim::symbolic("N")});
    g.inputs.push_back(ValueInfo{kTeacherInput, ValueType{DType::kFloat32, true, pt.dims}});
    out.teacher = kTeacherInput;
  } else if (spec.kind == "output") {
    if (pt.has_shape && !pt.dims.empty() && !(pt.dims.size() == 1 && pt.dims[0].known() && pt.dims[0].value == 1))
      return invalid_argument("loss 'output' needs a scalar output; '" + p + "' has rank " + std::to_string(pt.dims.size()));
    out.loss = p;
  } else {
    return invalid_argument("unknown loss '" + spec.kind + "' (one of " + loss_kinds() + ")");
  }
  return out;
}

}  // namespace ew::train
