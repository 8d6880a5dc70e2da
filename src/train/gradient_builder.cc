#include "train/gradient_builder.h"

#include <algorithm>
#include <functional>
#include <set>

#include "ops/grad/grad_domain.h"
#include "ops/shape_inference.h"
#include "train/gradient_rule.h"

namespace ew::train {
namespace {

// Writes backward nodes into the training model; remembers the types of
// gradients (each has its forward value's type) so rules can see shapes.
class Writer : public GradientGraph {
 public:
  Writer(Model& m, const std::set<std::string>& trainable) : m_(m), trainable_(trainable) {
    for (const auto& [name, t] : m.graph.initializers) known_[name] = ValueType::of(t.dtype(), t.shape());
    for (const Node& n : m.graph.nodes)  // Constant nodes hold constants too (exporters write Clip bounds so)
      if (n.op_type == "Constant" && n.domain.empty() && !n.outputs.empty())
        if (const Tensor* t = n.attr_tensor("value")) constants_[n.outputs[0]] = t;
  }

  std::vector<std::string> add(const std::string& op_type, const std::vector<std::string>& inputs, int num_outputs,
                               const std::map<std::string, Attribute>& attributes, const std::string& domain) override {
    Node n;
    n.op_type = op_type;
    n.domain = domain;
    n.inputs = inputs;
    n.attributes = attributes;
    const int id = count_++;
    n.name = "grad/" + op_type + "_" + std::to_string(id);
    for (int i = 0; i < num_outputs; ++i) n.outputs.push_back("grad/" + std::to_string(id) + "_" + std::to_string(i));
    m_.graph.nodes.push_back(n);
    return n.outputs;
  }
  std::string constant(const std::string& hint, Tensor value) override {
    std::string name = "grad/" + hint + "_" + std::to_string(count_++);
    m_.graph.initializers[name] = std::move(value);
    return name;
  }
  const ValueType* type(const std::string& value) const override {
    auto it = known_.find(value);
    return it != known_.end() ? &it->second : m_.graph.find_type(value);
  }
  const Tensor* constant_value(const std::string& value) const override {
    if (trainable_.count(value)) return nullptr;
    auto it = constants_.find(value);
    return it != constants_.end() ? it->second : m_.graph.initializer(value);
  }
  void set_type(const std::string& grad, const std::string& like) {
    if (const ValueType* t = type(like)) known_[grad] = *t;
  }

 private:
  Model& m_;
  const std::set<std::string>& trainable_;
  std::map<std::string, const Tensor*> constants_;  // outputs of Constant nodes
  std::map<std::string, ValueType> known_;  // initializers and gradients (typed like their values)
  int count_ = 0;
};

bool is_float(const Model& m, const std::string& v) {
  const ValueType* t = m.graph.find_type(v);
  return !t || t->dtype == DType::kFloat32 || t->dtype == DType::kUndefined;
}

uint64_t name_hash(const std::string& s) { return std::hash<std::string>{}(s) & 0x7fffffffffffffffull; }

// BatchNormalization -> BatchNormTraining (batch statistics, updated running stats out).
Status batch_norm_training_form(Model& m, Node& n, TrainingGraph& tg) {
  if (n.inputs.size() < 5) return invalid_argument(n.label() + ": BatchNormalization needs 5 inputs");
  for (int i : {3, 4})
    if (!m.graph.is_initializer(n.inputs[static_cast<size_t>(i)]))
      return invalid_argument(n.label() + ": running statistics must be initializers to train");
  const std::string base = n.name.empty() ? n.outputs[0] : n.name;
  n.domain = kGradDomain;
  n.op_type = "BatchNormTraining";
  n.attributes.erase("training_mode");
  n.attributes.erase("spatial");
  n.outputs.resize(1);
  for (const char* suffix : {"/running_mean", "/running_var", "/saved_mean", "/saved_inv_std"})
    n.outputs.push_back(base + suffix);
  tg.buffers.emplace_back(n.inputs[3], n.outputs[1]);
  tg.buffers.emplace_back(n.inputs[4], n.outputs[2]);
  return Status::ok();
}

// Dropout -> DropoutTraining with the step's seed (ratio from the attribute or constant input).
Status dropout_training_form(Model& m, Node& n, TrainingGraph& tg) {
  float ratio = n.attr_float("ratio", 0.5f);
  if (n.inputs.size() > 1 && !n.inputs[1].empty()) {
    const Tensor* r = m.graph.initializer(n.inputs[1]);
    if (!r || r->numel() != 1) return invalid_argument(n.label() + ": the dropout ratio must be a constant to train");
    ratio = static_cast<float>(r->get_double(0));
  }
  if (n.outputs.size() > 1 && !n.outputs[1].empty())
    return invalid_argument(n.label() + ": a Dropout whose mask is used cannot be trained");
  if (tg.dropout_seed.empty()) {
    tg.dropout_seed = "dropout_seed";
    m.graph.inputs.push_back(ValueInfo{tg.dropout_seed, ValueType::of(DType::kInt64, {})});
  }
  n.domain = kGradDomain;
  n.op_type = "DropoutTraining";
  n.attributes = {{"ratio", Attribute::make_float(ratio)},
                  {"salt", Attribute::make_int(static_cast<int64_t>(name_hash(n.name + n.outputs[0])))}};
  n.inputs = {n.inputs[0], tg.dropout_seed};
  n.outputs = {n.outputs[0], n.outputs[0] + "/mask"};
  return Status::ok();
}

Status training_form(Model& m, const TrainingGraphOptions& o, TrainingGraph& tg) {
  for (Node& n : m.graph.nodes) {
    if (!n.domain.empty() && n.domain != "ai.onnx") continue;
    if (n.op_type == "BatchNormalization" && o.batch_norm_training) EW_RETURN_IF_ERROR(batch_norm_training_form(m, n, tg));
    if (n.op_type == "Dropout" && o.dropout) EW_RETURN_IF_ERROR(dropout_training_form(m, n, tg));
  }
  return Status::ok();
}

// Float initializers of rank >= 1 that are not running statistics, split into trainable and frozen.
void choose_parameters(const Model& forward, const Model& m, const TrainingGraphOptions& o, std::set<std::string>& train,
                       TrainingGraph& tg) {
  std::set<std::string> stats;
  for (const Node& n : forward.graph.nodes)
    if (n.op_type == "BatchNormalization" && n.inputs.size() >= 5) stats.insert({n.inputs[3], n.inputs[4]});
  for (const auto& [name, t] : forward.graph.initializers) {
    if (t.dtype() != DType::kFloat32 || t.rank() == 0 || stats.count(name) || !m.graph.is_initializer(name)) continue;
    auto matches = [&name = name](const std::vector<std::string>& patterns) {
      return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) { return glob_match(p, name); });
    };
    const bool frozen = matches(o.freeze) || (!o.train_only.empty() && !matches(o.train_only));
    (frozen ? tg.frozen.push_back(name) : void(train.insert(name)));
  }
}

std::string sum_of(Writer& w, const std::vector<std::string>& parts, const std::string& like) {
  if (parts.size() == 1) return parts[0];
  std::string s = w.add1("Sum", parts);
  w.set_type(s, like);
  return s;
}

Status backward(Model& m, Writer& w, const std::set<std::string>& train, const std::string& loss,
                std::map<std::string, std::vector<std::string>>& contrib) {
  std::set<std::string> needs(train.begin(), train.end());  // values whose gradient is needed
  const size_t forward_nodes = m.graph.nodes.size();
  for (size_t k = 0; k < forward_nodes; ++k) {
    const Node& n = m.graph.nodes[k];
    bool any = std::any_of(n.inputs.begin(), n.inputs.end(), [&](const std::string& v) { return needs.count(v) > 0; });
    if (!any) continue;
    if (!n.attributes.empty())
      for (const auto& [key, a] : n.attributes)
        if (a.kind == Attribute::Kind::kGraph || a.kind == Attribute::Kind::kGraphs)
          return invalid_argument(n.label() + ": training through " + n.op_type + " bodies is not supported");
    for (const std::string& out : n.outputs)
      if (!out.empty() && is_float(m, out)) needs.insert(out);
  }
  contrib[loss].push_back(w.scalar("dloss", 1.0f));
  for (size_t k = forward_nodes; k-- > 0;) {
    const Node n = m.graph.nodes[k];  // a copy: rules append to the node list
    GradientContext ctx{n, m.opset(n.domain), {}, {}, w};
    bool flows = false;
    for (const std::string& out : n.outputs) {
      auto it = contrib.find(out);
      ctx.output_grads.push_back(it == contrib.end() || out.empty() ? "" : sum_of(w, it->second, out));
      flows = flows || !ctx.output_grads.back().empty();
    }
    bool wanted = false;
    for (const std::string& in : n.inputs) {
      ctx.wants.push_back(!in.empty() && needs.count(in) > 0);
      wanted = wanted || ctx.wants.back();
    }
    if (!flows || !wanted) continue;
    const GradientRuleDef* rule = GradientRules::find(n.domain, n.op_type);
    if (!rule)
      return invalid_argument("no gradient rule for " + n.label() + (n.domain.empty() ? "" : " in domain " + n.domain) +
                              ": it lies between a trainable parameter and the loss");
    EW_ASSIGN_OR_RETURN(std::vector<std::string> grads, rule->fn(ctx));
    for (size_t i = 0; i < n.inputs.size() && i < grads.size(); ++i) {
      if (!ctx.wants[i] || grads[i].empty()) continue;
      w.set_type(grads[i], n.inputs[i]);
      contrib[n.inputs[i]].push_back(grads[i]);
    }
  }
  return Status::ok();
}

}  // namespace

bool glob_match(const std::string& pattern, const std::string& name) {
  size_t p = 0, s = 0, star = std::string::npos, mark = 0;
  while (s < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[s])) {
      ++p, ++s;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++, mark = s;
    } else if (star != std::string::npos) {
      p = star + 1, s = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Result<TrainingGraph> build_training_graph(const Model& forward, const TrainingGraphOptions& options) {
  TrainingGraph tg;
  Model m = deep_copy(forward);
  for (const auto& in : m.graph.inputs) tg.data_inputs.push_back(in.name);
  EW_RETURN_IF_ERROR(training_form(m, options, tg));
  bool has_grad_domain = false;
  for (const auto& o : m.opsets) has_grad_domain = has_grad_domain || o.domain == kGradDomain;
  if (!has_grad_domain) m.opsets.push_back(OpsetImport{kGradDomain, 1});
  EW_RETURN_IF_ERROR(infer_shapes(m));
  EW_ASSIGN_OR_RETURN(AppendedLoss loss, append_loss(m, options.loss));
  EW_RETURN_IF_ERROR(infer_shapes(m));
  tg.loss = loss.loss;
  tg.labels = loss.labels;
  tg.teacher = loss.teacher;
  tg.prediction = options.loss.prediction.empty() ? forward.graph.outputs.at(0).name : options.loss.prediction;

  std::set<std::string> train;
  choose_parameters(forward, m, options, train, tg);
  Writer w(m, train);
  std::map<std::string, std::vector<std::string>> contrib;
  EW_RETURN_IF_ERROR(backward(m, w, train, tg.loss, contrib));

  std::vector<ValueInfo> outputs{{tg.loss, ValueType::of(DType::kFloat32, {})}};
  if (const ValueType* t = m.graph.find_type(tg.prediction)) outputs.push_back({tg.prediction, *t});
  for (const std::string& p : train) {
    auto it = contrib.find(p);
    if (it == contrib.end()) continue;  // no gradient reaches it: stays a constant
    const Tensor& value = m.graph.initializers.at(p);
    ValueType type = ValueType::of(DType::kFloat32, value.shape());
    std::string g = w.add1("Identity", {sum_of(w, it->second, p)});
    tg.parameters.push_back(p);
    tg.gradients.push_back(g);
    outputs.push_back({g, type});
    m.graph.inputs.push_back({p, type});
    m.graph.initializers.erase(p);
  }
  if (tg.parameters.empty())
    return invalid_argument("nothing to train: no float parameter reaches the loss" +
                            std::string(tg.frozen.empty() ? "" : " (" + std::to_string(tg.frozen.size()) + " frozen)"));
  for (auto& [state, updated] : tg.buffers) {
    const Tensor& value = m.graph.initializers.at(state);
    ValueType type = ValueType::of(DType::kFloat32, value.shape());
    m.graph.inputs.push_back({state, type});
    m.graph.initializers.erase(state);
    outputs.push_back({updated, type});
  }
  m.graph.outputs = std::move(outputs);
  EW_RETURN_IF_ERROR(m.graph.sort_and_validate());
  EW_RETURN_IF_ERROR(infer_shapes(m));
  tg.model = std::move(m);
  return tg;
}

}  // namespace ew::train
