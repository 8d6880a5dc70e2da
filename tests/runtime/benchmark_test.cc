#include "runtime/benchmark.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/npy.h"
#include "ir/graph_builder.h"
#include "ir/onnx_export.h"
#include "ir/onnx_import.h"
#include "runtime/latency_stats.h"
#include "runtime/model_stats.h"
#include "ops/shape_inference.h"
#include "runtime/tensor_folder.h"
#include "test_util.h"

namespace ew {
namespace {

namespace fs = std::filesystem;

std::string temp_dir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("ew_bench_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
  return p.string();
}

// y = Relu(Conv(x, w)), x: float32[N, 3, 8, 8], w: 4x3x3x3 -> y: [N, 4, 6, 6].
std::string conv_relu_model(const std::string& dir) {
  GraphBuilder b("conv_relu");
  std::string x = b.input("x", DType::kFloat32, {Dim::symbolic("N"), 3, 8, 8});
  std::string w = b.constant("w", test::make_f32({4, 3, 3, 3}, std::vector<float>(108, 0.5f)));
  b.output(b.node("Relu", {b.node("Conv", {x, w}, {}, "conv")}, {}, "relu"), "y");
  std::string path = dir + "/conv_relu.onnx";
  EXPECT_TRUE(save_onnx(b.build().value(), path).is_ok());
  return path;
}

// One step per model node: no graph optimization, reference kernels only.
SessionOptions reference_only() {
  SessionOptions o;
  o.opt_level = 0;
  o.use_backends = false;
  o.fast_kernels = false;
  return o;
}

BenchmarkOptions quick(int runs) {
  BenchmarkOptions o;
  o.runs = runs;
  o.warmup = 1;
  o.min_seconds = 0;
  o.dims = {{"N", 2}};
  return o;
}

TEST(Percentile, LinearInterpolationBetweenClosestRanks) {
  std::vector<double> x = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(percentile(x, 0), 1);
  EXPECT_DOUBLE_EQ(percentile(x, 100), 4);
  EXPECT_DOUBLE_EQ(percentile(x, 50), 2.5);
  EXPECT_DOUBLE_EQ(percentile(x, 25), 1.75);  // h = 0.75
  std::vector<double> ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_DOUBLE_EQ(percentile(ten, 90), 9.1);   // h = 8.1 (NumPy gives 9.1)
  EXPECT_DOUBLE_EQ(percentile(ten, 99), 9.91);
  EXPECT_DOUBLE_EQ(percentile({7}, 95), 7);
  EXPECT_DOUBLE_EQ(percentile({}, 50), 0);
}

TEST(Percentile, SummaryOfUnsortedSamples) {
  LatencySummary s = summarize_latencies({5, 1, 4, 2, 3});
  EXPECT_EQ(s.count, 5);
  EXPECT_DOUBLE_EQ(s.mean, 3);
  EXPECT_DOUBLE_EQ(s.std, std::sqrt(2.5));  // sample std: sum of squares 10 over n - 1
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.p50, 3);
  EXPECT_DOUBLE_EQ(s.p90, 4.6);
  EXPECT_DOUBLE_EQ(s.max, 5);
  EXPECT_DOUBLE_EQ(summarize_latencies({2}).std, 0);
}

TEST(Benchmark, JsonHasEveryKeyInOrder) {
  std::string model = conv_relu_model(temp_dir("json"));
  auto r = run_benchmark(model, SessionOptions{}, quick(7));
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  nlohmann::json j = benchmark_to_json(*r);
  for (const char* key : {"init_ms", "first_ms", "mean_ms", "std_ms", "min_ms", "p50_ms", "p90_ms", "p95_ms", "p99_ms",
                          "max_ms", "runs", "peak_rss_bytes", "arena_bytes", "naive_bytes", "flops", "macs",
                          "gflops_p50", "threads", "model"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_FALSE(j.contains("profile"));
  EXPECT_EQ(j["runs"], 7);
  EXPECT_EQ(r->run_ms.size(), 7u);
  EXPECT_EQ(j["threads"], 1);
  EXPECT_EQ(j["dims"]["N"], 2);
  EXPECT_EQ(j["macs"], 2 * 4 * 6 * 6 * 27);
  EXPECT_LE(j["min_ms"].get<double>(), j["p50_ms"].get<double>());
  EXPECT_LE(j["p50_ms"].get<double>(), j["p90_ms"].get<double>());
  EXPECT_LE(j["p90_ms"].get<double>(), j["p95_ms"].get<double>());
  EXPECT_LE(j["p95_ms"].get<double>(), j["p99_ms"].get<double>());
  EXPECT_LE(j["p99_ms"].get<double>(), j["max_ms"].get<double>());
  EXPECT_LE(j["min_ms"].get<double>(), j["mean_ms"].get<double>());
  EXPECT_LE(j["mean_ms"].get<double>(), j["max_ms"].get<double>());
  EXPECT_GT(j["peak_rss_bytes"].get<int64_t>(), 0);
  EXPECT_GE(j["gflops_p50"].get<double>(), 0);
}

TEST(Benchmark, ProfileAddsUpAndCountsConvMacs) {
  std::string model = conv_relu_model(temp_dir("profile"));
  BenchmarkOptions o = quick(4);
  o.profile = true;
  auto r = run_benchmark(model, reference_only(), o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_TRUE(r->profile.has_value());
  const Profile& p = *r->profile;
  const size_t model_nodes = load_onnx(model).value().graph.nodes.size();  // Conv, Relu (+ Constant)
  ASSERT_EQ(p.nodes.size(), model_nodes);
  double node_sum = 0, share_sum = 0;
  for (const ProfileEntry& e : p.nodes) {
    EXPECT_EQ(e.calls, 4);
    node_sum += e.total_ms;
    share_sum += e.share;
    if (e.op_type == "Conv") {
      EXPECT_EQ(e.macs, 2 * 4 * 6 * 6 * 27);
    }
    if (e.op_type == "Relu") {
      EXPECT_EQ(e.macs, 0);
    }
  }
  EXPECT_NEAR(node_sum, p.total_ms, 1e-9);
  EXPECT_NEAR(share_sum, 100.0, 1e-6);
  double run_sum = 0;
  for (double ms : r->run_ms) run_sum += ms;
  EXPECT_LE(p.total_ms, run_sum);  // steps run inside the timed runs
  nlohmann::json j = benchmark_to_json(*r);
  ASSERT_TRUE(j["profile"].is_array());
  EXPECT_EQ(j["profile"].size(), model_nodes);
  EXPECT_EQ(j["profile_op_types"].size(), model_nodes);
}

TEST(Benchmark, TraceHasOneCompleteEventPerStepAndRun) {
  std::string dir = temp_dir("trace");
  BenchmarkOptions o = quick(3);
  o.trace_path = dir + "/trace.json";
  std::string model = conv_relu_model(dir);
  const int model_nodes = static_cast<int>(load_onnx(model).value().graph.nodes.size());
  auto r = run_benchmark(model, reference_only(), o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  std::ifstream in(o.trace_path);
  nlohmann::json t = nlohmann::json::parse(in, nullptr, false);
  ASSERT_FALSE(t.is_discarded()) << "trace is not valid JSON";
  ASSERT_TRUE(t["traceEvents"].is_array());
  int steps = 0, runs = 0;
  for (const auto& e : t["traceEvents"]) {
    EXPECT_EQ(e["ph"], "X");
    for (const char* key : {"name", "cat", "ts", "dur", "pid", "tid", "args"}) EXPECT_TRUE(e.contains(key)) << key;
    (e["cat"] == "run" ? runs : steps) += 1;
  }
  EXPECT_EQ(runs, 3);
  EXPECT_EQ(steps, 3 * model_nodes);  // one per node per run
  EXPECT_EQ(r->trace_events, static_cast<size_t>(3 * model_nodes + 3));
}

TEST(Benchmark, UnknownDimAndBadOptionsAreClearErrors) {
  std::string model = conv_relu_model(temp_dir("dims"));
  BenchmarkOptions o = quick(1);
  o.dims = {{"batch", 2}};
  auto r = run_benchmark(model, SessionOptions{}, o);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("'batch' is not a symbolic dimension"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("they have: N"), std::string::npos) << r.status().message();
  o = quick(0);
  EXPECT_FALSE(run_benchmark(model, SessionOptions{}, o).is_ok());
  EXPECT_FALSE(run_benchmark(temp_dir("missing") + "/none.onnx", SessionOptions{}, quick(1)).is_ok());
}

TEST(Benchmark, InputsFromFolderByNameOrPosition) {
  std::string dir = temp_dir("inputs");
  std::string model = conv_relu_model(dir);
  ASSERT_TRUE(write_npy(dir + "/input_0.npy", test::make_f32({3, 3, 8, 8}, std::vector<float>(576, 1))).is_ok());
  BenchmarkOptions o = quick(1);
  o.dims.clear();
  o.inputs_dir = dir;
  auto r = run_benchmark(model, SessionOptions{}, o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->dims.at("N"), 3);
  o.inputs_dir = temp_dir("empty");
  auto missing = run_benchmark(model, SessionOptions{}, o);
  ASSERT_FALSE(missing.is_ok());
  EXPECT_NE(missing.status().message().find("no file for 'x'"), std::string::npos) << missing.status().message();
}

TEST(TensorFolder, SanitizesNamesAndRoundTrips) {
  EXPECT_EQ(tensor_file_name("a/b:c d"), "a_b_c_d");
  EXPECT_EQ(tensor_file_name(".."), "_..");
  std::string dir = temp_dir("folder");
  ASSERT_TRUE(write_tensor_folder(dir, {"out/1"}, {test::make_f32({2}, {1, 2})}).is_ok());
  EXPECT_TRUE(fs::exists(dir + "/out_1.npy"));
  ValueInfo v;
  v.name = "out/1";
  auto back = read_tensor_folder(dir, {v}, "output");
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(test::values_f32(back->at("out/1")), (std::vector<float>{1, 2}));
}

// Runs the CLI and returns its combined output and exit code.
std::pair<std::string, int> run_cli(const std::string& args) {
  int rc = -1;
  std::string out = test::run_cli(args, &rc, true);
  return {out, rc};
}

TEST(BenchCommand, DimsParsingErrorsAreClear) {
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  std::string model = conv_relu_model(temp_dir("cli"));
  auto [no_eq, rc1] = run_cli("bench " + model + " --dims N --runs 1 --min-secs 0");
  EXPECT_EQ(rc1, 2);
  EXPECT_NE(no_eq.find("--dims expects NAME=VALUE, got 'N'"), std::string::npos) << no_eq;
  auto [bad_value, rc2] = run_cli("bench " + model + " --dims N=two --runs 1 --min-secs 0");
  EXPECT_EQ(rc2, 2);
  EXPECT_NE(bad_value.find("is not a non-negative integer"), std::string::npos) << bad_value;
  auto [unknown, rc3] = run_cli("bench " + model + " --dims S=4 --runs 1 --min-secs 0");
  EXPECT_EQ(rc3, 2);
  EXPECT_NE(unknown.find("'S' is not a symbolic dimension"), std::string::npos) << unknown;
  auto [json, rc4] = run_cli("bench " + model + " --dims N=2 --runs 3 --min-secs 0 --json");
  ASSERT_EQ(rc4, 0) << json;
  auto j = nlohmann::json::parse(json, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << "stdout of --json is one JSON object: " << json;
  EXPECT_EQ(j["runs"], 3);
  EXPECT_EQ(j["dims"]["N"], 2);
}

TEST(Benchmark, SharedModelConvMacsMatchModelStats) {
  EW_REQUIRE_SHARED_MODELS();
  std::string path = test::shared_models_dir() + "/fashion_mbnet/model.onnx";
  BenchmarkOptions o = quick(1);
  o.dims = {{"N", 1}};
  o.profile = true;
  auto r = run_benchmark(path, reference_only(), o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  Model m = load_onnx(path).value();
  bind_symbolic_dims(m, {{"N", 1}}, 1);
  ASSERT_TRUE(infer_shapes(m).is_ok());
  std::map<std::string, int64_t> expected;
  for (const NodeCost& c : compute_model_stats(m).per_node) expected[c.node] = c.macs;
  int checked = 0;
  for (const ProfileEntry& e : r->profile->nodes) {
    if (e.op_type != "Conv" || !expected.count(e.name)) continue;
    EXPECT_EQ(e.macs, expected[e.name]) << e.name;
    EXPECT_GT(e.macs, 0) << e.name;
    ++checked;
  }
  EXPECT_GT(checked, 5);
  EXPECT_GT(r->flops, 0);
}

}  // namespace
}  // namespace ew

namespace ew {
namespace {

// With the default (optimizing, XNNPACK) options, steps may cover many nodes;
// the profile's MACs still add up to the model's.
TEST(Benchmark, FusedStepsStillAccountForAllMacs) {
  EW_REQUIRE_SHARED_MODELS();
  BenchmarkOptions o = quick(1);
  o.dims = {{"N", 1}};
  o.profile = true;
  auto r = run_benchmark(test::shared_models_dir() + "/fashion_mbnet/model.onnx", SessionOptions{}, o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  int64_t macs = 0;
  for (const ProfileEntry& e : r->profile->nodes)
    if (!e.nested) macs += e.macs;
  EXPECT_EQ(macs, r->macs);
  EXPECT_GT(r->macs, 4'000'000);  // 4.41 M MACs at N=1
}

}  // namespace
}  // namespace ew
