#include "quant/channel_stats.h"

#include <algorithm>
#include <cmath>

#include "runtime/executor.h"
#include "runtime/session.h"

namespace ew::quant {

std::vector<double> ChannelStats::mean() const {
  std::vector<double> m(sum.size(), 0.0);
  if (per_channel_count > 0)
    for (size_t c = 0; c < sum.size(); ++c) m[c] = sum[c] / static_cast<double>(per_channel_count);
  return m;
}

Status accumulate_channel_stats(const Tensor& t, int axis, ChannelStats& stats) {
  if (t.dtype() != DType::kFloat32)
    return invalid_argument("channel stats: tensor is " + t.describe() + ", need float32");
  const int64_t rank = t.rank();
  const int64_t a = axis < 0 ? rank + axis : axis;
  if (a < 0 || a >= rank)
    return invalid_argument("channel stats: axis " + std::to_string(axis) + " out of range for " + t.describe());
  const int64_t channels = t.dim(a);
  int64_t inner = 1;
  for (int64_t d = a + 1; d < rank; ++d) inner *= t.dim(d);
  if (stats.sum.empty()) {
    stats.sum.assign(channels, 0.0);
    stats.abs_max.assign(channels, 0.0f);
  }
  if (static_cast<int64_t>(stats.sum.size()) != channels)
    return invalid_argument("channel stats: channel count changed between samples (" + t.describe() + ")");
  const float* p = t.data<float>();
  for (int64_t i = 0; i < t.numel(); ++i) {
    const int64_t c = (i / inner) % channels;
    stats.sum[c] += p[i];
    stats.abs_max[c] = std::max(stats.abs_max[c], std::fabs(p[i]));
  }
  if (channels > 0) stats.per_channel_count += t.numel() / channels;
  return Status::ok();
}

namespace {

class StatsObserver : public StepObserver {
 public:
  StatsObserver(const std::map<std::string, int>& tensors, ChannelStatsMap& stats) : tensors_(tensors), stats_(stats) {}
  void after_step(const StepEvent& e) override {
    for (size_t k = 0; k < e.outputs.size() && k < e.node.outputs.size(); ++k) observe(e.node.outputs[k], e.outputs[k]);
  }
  void observe(const std::string& name, const Tensor& t) {
    auto it = tensors_.find(name);
    if (it == tensors_.end() || !status.is_ok()) return;
    status = accumulate_channel_stats(t, it->second, stats_[name]).with_context("tensor '" + name + "': ");
  }
  Status status;

 private:
  const std::map<std::string, int>& tensors_;
  ChannelStatsMap& stats_;
};

}  // namespace

Result<ChannelStatsMap> collect_channel_stats(const Model& model, CalibrationSource& data,
                                              const std::map<std::string, int>& tensors) {
  SessionOptions so;
  so.opt_level = 0;
  so.use_backends = false;
  EW_ASSIGN_OR_RETURN(auto session, Session::create(model, so));
  ChannelStatsMap stats;
  StatsObserver obs(tensors, stats);
  EW_RETURN_IF_ERROR(data.rewind());
  std::map<std::string, Tensor> inputs;
  for (;;) {
    EW_ASSIGN_OR_RETURN(bool more, data.next(inputs));
    if (!more) break;
    for (const auto& [name, t] : inputs) obs.observe(name, t);
    EW_ASSIGN_OR_RETURN(auto outputs, session->run(inputs, &obs));
    EW_RETURN_IF_ERROR(obs.status);
  }
  for (const auto& [name, axis] : tensors)
    if (!stats.count(name)) return not_found("channel stats: no sample produced tensor '" + name + "'");
  return stats;
}

}  // namespace ew::quant
