#include "train/gradients.h"

#include "runtime/session.h"

namespace ew::train {

Result<GradientResult> compute_gradients(const Model& model, const std::map<std::string, Tensor>& inputs,
                                         const Tensor& labels, const TrainingGraphOptions& options, int threads,
                                         int64_t dropout_seed) {
  EW_ASSIGN_OR_RETURN(TrainingGraph tg, build_training_graph(model, options));
  SessionOptions so;
  so.threads = threads;
  EW_ASSIGN_OR_RETURN(auto session, Session::create(tg.model, so));
  std::vector<Tensor> feed;
  for (const ValueInfo& v : tg.model.graph.inputs) {
    if (v.name == tg.labels) {
      if (!labels.defined()) return invalid_argument("the loss needs labels");
      feed.push_back(labels);
    } else if (v.name == tg.dropout_seed) {
      feed.push_back(Tensor::scalar<int64_t>(dropout_seed).value());
    } else if (auto it = inputs.find(v.name); it != inputs.end()) {
      feed.push_back(it->second);
    } else if (const Tensor* t = model.graph.initializer(v.name)) {
      feed.push_back(*t);
    } else {
      return invalid_argument("no value for the model input '" + v.name + "'");
    }
  }
  std::vector<Tensor> out;
  EW_RETURN_IF_ERROR(session->run(feed, out));
  GradientResult r;
  r.loss = out[0].data<float>()[0];
  for (size_t i = 0; i < tg.parameters.size(); ++i) r.gradients.emplace_back(tg.parameters[i], out[2 + i]);
  return r;
}

Result<Model> standalone_training_graph(const Model& model, const TrainingGraphOptions& options) {
  EW_ASSIGN_OR_RETURN(TrainingGraph tg, build_training_graph(model, options));
  Model m = std::move(tg.model);
  std::vector<ValueInfo> inputs;
  for (ValueInfo& v : m.graph.inputs) {
    if (v.name == tg.dropout_seed) {
      m.graph.initializers[v.name] = Tensor::scalar<int64_t>(1).value();
    } else if (const Tensor* t = model.graph.initializer(v.name)) {
      m.graph.initializers[v.name] = *t;
    } else {
      inputs.push_back(std::move(v));
    }
  }
  m.graph.inputs = std::move(inputs);
  // Each gradient output is named after its parameter: "<parameter>_grad".
  for (size_t i = 0; i < tg.parameters.size(); ++i) {
    const std::string named = tg.parameters[i] + "_grad";
    m.graph.nodes.push_back(Node{named, "Identity", "", {tg.gradients[i]}, {named}, {}});
    for (ValueInfo& o : m.graph.outputs)
      if (o.name == tg.gradients[i]) o.name = named;
  }
  return m;
}

}  // namespace ew::train
