#include "device/variant_metrics.h"

#include <filesystem>

#include "device/model_prediction.h"
#include "ir/onnx_import.h"
#include "quant/evaluate.h"
#include "runtime/benchmark.h"
#include "runtime/random_inputs.h"

namespace ew {

// XNNPACK is off here: its partitions keep intermediates in a workspace of their own,
// which the arena would not count (fashion_mbnet runs as one partition: arena 0 B).
Result<ModelMemory> measure_model_memory(const std::string& path, const std::map<std::string, int64_t>& dims,
                                         int threads) {
  EW_ASSIGN_OR_RETURN(Model model, load_onnx(path));
  auto memory = measure_model_memory(std::move(model), dims, threads);
  if (!memory.is_ok()) return memory.status().with_context(path + ": ");
  return memory;
}

Result<ModelMemory> measure_model_memory(Model model, const std::map<std::string, int64_t>& dims, int threads) {
  SessionOptions so;
  so.threads = threads;
  so.use_backends = false;
  EW_ASSIGN_OR_RETURN(auto session, Session::create(std::move(model), so));
  ModelMemory m;
  for (const auto& [name, t] : session->model().graph.initializers) m.param_bytes += static_cast<int64_t>(t.nbytes());
  EW_ASSIGN_OR_RETURN(auto feeds, random_inputs(*session, dims, 1));
  std::vector<Tensor> inputs;
  for (const ValueInfo& v : session->inputs()) inputs.push_back(feeds.at(v.name));
  EW_RETURN_IF_ERROR(session->prepare(inputs));
  m.arena_bytes = session->memory_stats().arena_bytes;
  return m;
}

Result<VariantMetrics> measure_variant(const std::string& path, const DeviceProfile& device,
                                       const VariantMeasureOptions& o) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return not_found("variant '" + path + "': no such file");
  VariantMetrics m;
  m.name = path;
  m.file_bytes = static_cast<int64_t>(std::filesystem::file_size(path, ec));
  if (ec) return io_error("variant '" + path + "': " + ec.message());
  auto memory = measure_model_memory(path, o.dims, o.threads);
  if (!memory.is_ok()) return memory.status().with_context("variant '" + path + "': ");
  m.param_bytes = memory->param_bytes;
  m.arena_bytes = memory->arena_bytes;
  auto prediction = predict_model_roofline(path, device, o.dims);
  if (!prediction.is_ok()) return prediction.status().with_context("variant '" + path + "': ");
  m.latency_ms = prediction->latency_s * 1e3;
  if (device.tier == DeviceTier::kHost) {
    SessionOptions so;
    so.threads = o.threads;
    BenchmarkOptions bo;
    bo.runs = o.bench_runs;
    bo.min_seconds = o.bench_seconds;
    bo.dims = o.dims;
    auto bench = run_benchmark(path, so, bo);
    if (!bench.is_ok()) return bench.status().with_context("variant '" + path + "': ");
    m.latency_ms = bench->latency.p50;
    m.latency_measured = true;
  }
  m.energy_mj = energy_at_latency(*prediction, device, m.latency_ms * 1e-3) * 1e3;
  return m;
}

Result<double> measure_accuracy(const std::string& path, const LabeledDataset& data, int threads) {
  SessionOptions so;
  so.threads = threads;
  EW_ASSIGN_OR_RETURN(auto session, Session::load(path, so));
  auto metrics = quant::evaluate_classifier(*session, nullptr, data, 100);
  if (!metrics.is_ok()) return metrics.status().with_context("variant '" + path + "': ");
  return metrics->top1;
}

}  // namespace ew
