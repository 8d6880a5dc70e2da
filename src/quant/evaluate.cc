#include "quant/evaluate.h"

#include <algorithm>
#include <cmath>

#include "quant/calibration_source.h"

namespace ew::quant {

namespace {

// Rows and classes of a score tensor (last axis = classes).
Result<std::pair<int64_t, int64_t>> rows_of(const Tensor& t) {
  if (t.dtype() != DType::kFloat32) return invalid_argument("class scores must be float32, got " + t.describe());
  int64_t classes = t.rank() == 0 ? 1 : t.dim(t.rank() - 1);
  if (classes <= 0 || t.numel() == 0) return invalid_argument("class scores " + t.describe() + " are empty");
  return std::make_pair(t.numel() / classes, classes);
}

// log softmax of one row, in double.
void log_softmax(const float* x, int64_t n, std::vector<double>& out) {
  out.resize(static_cast<size_t>(n));
  double m = x[0];
  for (int64_t i = 1; i < n; ++i) m = std::max(m, static_cast<double>(x[i]));
  double s = 0;
  for (int64_t i = 0; i < n; ++i) s += std::exp(static_cast<double>(x[i]) - m);
  double lse = m + std::log(s);
  for (int64_t i = 0; i < n; ++i) out[static_cast<size_t>(i)] = static_cast<double>(x[i]) - lse;
}

// The inputs for `session`: by name, else by position.
std::map<std::string, Tensor> inputs_for(const Session& session, const Session& source_model,
                                         const std::map<std::string, Tensor>& inputs) {
  std::map<std::string, Tensor> out;
  const auto& want = session.inputs();
  const auto& have = source_model.inputs();
  for (size_t k = 0; k < want.size(); ++k) {
    auto it = inputs.find(want[k].name);
    if (it == inputs.end() && k < have.size()) it = inputs.find(have[k].name);
    if (it != inputs.end()) out[want[k].name] = it->second;
  }
  return out;
}

Result<Tensor> run_output(const Session& s, const std::map<std::string, Tensor>& inputs, int output) {
  EW_ASSIGN_OR_RETURN(auto outs, s.run(inputs));
  if (output < 0 || static_cast<size_t>(output) >= outs.size())
    return invalid_argument("the model has " + std::to_string(outs.size()) + " outputs; output " + std::to_string(output) +
                            " does not exist");
  return outs[static_cast<size_t>(output)];
}

void report(const EvalOptions& o, int64_t done, int total) {
  if (o.progress) o.progress(static_cast<int>(done), total);
}

}  // namespace

Result<std::vector<int>> top1_classes(const Tensor& scores) {
  EW_ASSIGN_OR_RETURN(auto rc, rows_of(scores));
  std::vector<int> out(static_cast<size_t>(rc.first));
  const float* x = scores.data<float>();
  for (int64_t r = 0; r < rc.first; ++r) {
    const float* row = x + r * rc.second;
    out[static_cast<size_t>(r)] = static_cast<int>(std::max_element(row, row + rc.second) - row);
  }
  return out;
}

Status OutputComparer::add(const Tensor& reference, const Tensor& candidate) {
  if (reference.shape() != candidate.shape())
    return invalid_argument("compared outputs differ in shape: " + reference.describe() + " vs " + candidate.describe());
  EW_ASSIGN_OR_RETURN(auto rc, rows_of(reference));
  EW_ASSIGN_OR_RETURN(auto a, top1_classes(reference));
  EW_ASSIGN_OR_RETURN(auto b, top1_classes(candidate));
  const float* x = reference.data<float>();
  const float* y = candidate.data<float>();
  std::vector<double> lp, lq;
  for (int64_t r = 0; r < rc.first; ++r) {
    agree_ += a[static_cast<size_t>(r)] == b[static_cast<size_t>(r)] ? 1 : 0;
    log_softmax(x + r * rc.second, rc.second, lp);
    log_softmax(y + r * rc.second, rc.second, lq);
    double kl = 0;
    for (size_t i = 0; i < lp.size(); ++i) kl += std::exp(lp[i]) * (lp[i] - lq[i]);
    kl_ += std::max(0.0, kl);
  }
  for (int64_t i = 0; i < reference.numel(); ++i) {
    double d = static_cast<double>(x[i]) - static_cast<double>(y[i]);
    signal_ += static_cast<double>(x[i]) * x[i];
    noise_ += d * d;
    max_abs_ = std::max(max_abs_, std::abs(d));
  }
  rows_ += rc.first;
  return Status::ok();
}

OutputComparison OutputComparer::result() const {
  OutputComparison c;
  c.count = rows_;
  if (rows_ == 0) return c;
  c.agreement = static_cast<double>(agree_) / static_cast<double>(rows_);
  c.mean_kl = kl_ / static_cast<double>(rows_);
  c.sqnr_db = noise_ <= 0 ? 200.0 : std::min(200.0, 10.0 * std::log10(signal_ / noise_));
  c.max_abs_diff = max_abs_;
  return c;
}

Result<OutputComparison> compare_outputs(const Session& reference, const Session& candidate, CalibrationSource& data,
                                         const EvalOptions& options) {
  EW_RETURN_IF_ERROR(data.rewind());
  OutputComparer comparer;
  std::map<std::string, Tensor> inputs;
  int64_t done = 0;
  while (options.count <= 0 || done < options.count) {
    EW_ASSIGN_OR_RETURN(bool more, data.next(inputs));
    if (!more) break;
    EW_ASSIGN_OR_RETURN(Tensor a, run_output(reference, inputs, options.output));
    EW_ASSIGN_OR_RETURN(Tensor b, run_output(candidate, inputs_for(candidate, reference, inputs), options.output));
    EW_RETURN_IF_ERROR(comparer.add(a, b));
    done = comparer.result().count;
    report(options, done, data.size());
  }
  if (comparer.result().count == 0) return invalid_argument("compare_outputs: the data yielded no samples");
  return comparer.result();
}

Result<ClassifierMetrics> evaluate_classifier(const Session& model, const Session* other, const LabeledDataset& data,
                                              int batch, const EvalOptions& options) {
  if (model.inputs().size() != 1) return invalid_argument("evaluate_classifier: the model must take one input");
  if (static_cast<int64_t>(data.labels.size()) != (data.images.rank() > 0 ? data.images.dim(0) : 0))
    return invalid_argument("evaluate_classifier: dataset labels and images disagree in count");
  std::map<std::string, Tensor> arrays{{model.inputs()[0].name, data.images}};
  EW_ASSIGN_OR_RETURN(auto source, make_array_source(arrays, model.model(), options.count, std::max(1, batch)));
  ClassifierMetrics m;
  OutputComparer comparer;
  int64_t correct = 0, other_correct = 0;
  std::map<std::string, Tensor> inputs;
  for (;;) {
    EW_ASSIGN_OR_RETURN(bool more, source->next(inputs));
    if (!more) break;
    EW_ASSIGN_OR_RETURN(Tensor scores, run_output(model, inputs, options.output));
    EW_ASSIGN_OR_RETURN(auto top, top1_classes(scores));
    if (m.count + static_cast<int64_t>(top.size()) > static_cast<int64_t>(data.labels.size()))
      return invalid_argument("the model's output " + scores.describe() + " has more rows than the batch has samples");
    for (size_t r = 0; r < top.size(); ++r) correct += top[r] == data.labels[static_cast<size_t>(m.count) + r] ? 1 : 0;
    if (other) {
      EW_ASSIGN_OR_RETURN(Tensor theirs, run_output(*other, inputs_for(*other, model, inputs), options.output));
      EW_ASSIGN_OR_RETURN(auto their_top, top1_classes(theirs));
      for (size_t r = 0; r < their_top.size() && r < top.size(); ++r)
        other_correct += their_top[r] == data.labels[static_cast<size_t>(m.count) + r] ? 1 : 0;
      EW_RETURN_IF_ERROR(comparer.add(scores, theirs));
    }
    m.count += static_cast<int64_t>(top.size());
    report(options, m.count, source->size());
  }
  if (m.count == 0) return invalid_argument("evaluate_classifier: no samples");
  m.top1 = static_cast<double>(correct) / static_cast<double>(m.count);
  if (other) {
    m.compared = true;
    m.other_top1 = static_cast<double>(other_correct) / static_cast<double>(m.count);
    m.comparison = comparer.result();
  }
  return m;
}

}  // namespace ew::quant
