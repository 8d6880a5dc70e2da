// `edgewise train` and `edgewise gradients` end to end: a run killed with
// SIGKILL at random moments and resumed ends with the same bytes as an
// uninterrupted one; bad input exits non-zero with a reason.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "core/npy.h"
#include "ir/onnx_import.h"
#include "test_util.h"
#include "runtime/session.h"
#include "train/gradients.h"

extern char** environ;

namespace ew {
namespace {

namespace fs = std::filesystem;

struct Workspace {
  fs::path dir;
  std::string spec, x, y;
};

Workspace make_workspace(const std::string& name, int64_t n) {
  Workspace w;
  w.dir = fs::temp_directory_path() / ("ew_train_cli_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(w.dir);
  fs::create_directories(w.dir);
  w.spec = (w.dir / "mlp.json").string();
  std::ofstream(w.spec) << R"({"family":"mlp","input":[1,1,8],"classes":4,"hidden":[128,128],"dropout":0.1,"seed":4})";
  std::mt19937 rng(3);
  std::normal_distribution<float> noise(0.0f, 0.5f);
  Tensor x = Tensor::create(DType::kFloat32, {n, 1, 1, 8}).value();
  Tensor y = Tensor::create(DType::kInt64, {n}).value();
  for (int64_t i = 0; i < n; ++i) {
    y.data<int64_t>()[i] = i % 4;
    for (int64_t k = 0; k < 8; ++k) x.data<float>()[i * 8 + k] = (k == 2 * (i % 4) ? 1.0f : 0.0f) + noise(rng);
  }
  w.x = (w.dir / "x.npy").string();
  w.y = (w.dir / "y.npy").string();
  EXPECT_TRUE(write_npy(w.x, x).is_ok());
  EXPECT_TRUE(write_npy(w.y, y).is_ok());
  return w;
}

std::string bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Starts the CLI with `args` (no shell), kills it with SIGKILL after `after`,
// reaps it, and tells whether the kill landed (it had not finished yet).
bool run_and_kill(const std::vector<std::string>& args, std::chrono::milliseconds after) {
  std::vector<std::string> argv{test::cli_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> raw;
  for (auto& a : argv) raw.push_back(a.data());
  raw.push_back(nullptr);
  posix_spawn_file_actions_t io;
  posix_spawn_file_actions_init(&io);
  posix_spawn_file_actions_addopen(&io, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&io, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  EXPECT_EQ(posix_spawn(&pid, raw[0], &io, nullptr, raw.data(), environ), 0);
  posix_spawn_file_actions_destroy(&io);
  std::this_thread::sleep_for(after);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFSIGNALED(status);
}

TEST(TrainCommand, KilledAtRandomMomentsAndResumedEndsBitIdentical) {
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  Workspace w = make_workspace("kill", 1200);
  const std::string common = " --data " + w.x + " --labels " + w.y +
                             " --epochs 3 --batch-size 8 --validation 0.1 --seed 5 --schedule cosine --crop-padding 0";
  int status = -1;
  const std::string whole = (w.dir / "whole.onnx").string();
  const auto start = std::chrono::steady_clock::now();
  test::run_cli("train " + w.spec + common + " -o " + whole, &status);
  ASSERT_EQ(status, 0);
  const auto run_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  const std::string ckpt = (w.dir / "ckpt").string(), out = (w.dir / "resumed.onnx").string();
  std::vector<std::string> args{"train", w.spec, "--data", w.x, "--labels", w.y, "--epochs", "3", "--batch-size", "8",
                                "--validation", "0.1", "--seed", "5", "--schedule", "cosine", "--crop-padding", "0",
                                "-o", out, "--checkpoint", ckpt, "--checkpoint-every", "7", "--resume"};
  // Kills at random moments over the run (each resumed run has less left to
  // do), until a checkpoint exists and at least two kills landed mid-run.
  std::mt19937 rng(11);
  int landed = 0, kills = 0;
  auto has_checkpoint = [&] {
    if (!fs::exists(ckpt)) return false;
    for (const auto& e : fs::directory_iterator(ckpt))
      if (e.path().extension() == ".ewck") return true;
    return false;
  };
  // Later kills wait longer, so a loaded machine still gets past the first checkpoint.
  const int64_t span = std::max<int64_t>(1, run_ms.count() / 2);
  for (; kills < 12 && (kills < 4 || !has_checkpoint() || landed < 2); ++kills)
    landed += run_and_kill(args, std::chrono::milliseconds(20 + kills * span / 4 + static_cast<int64_t>(rng() % span)));
  EXPECT_GE(landed, 2) << "the kills came after the runs ended (an uninterrupted run takes " << run_ms.count() << " ms)";
  ASSERT_TRUE(has_checkpoint()) << "no checkpoint after " << kills << " killed runs";
  std::string cmd = "train " + w.spec + common + " -o " + out + " --checkpoint " + ckpt + " --checkpoint-every 7 --resume --json";
  std::string text = test::run_cli(cmd, &status);
  ASSERT_EQ(status, 0) << text;
  EXPECT_NE(text.find("\"resumed_from_step\""), std::string::npos) << "the last run started over: " << text;
  EXPECT_EQ(bytes(out), bytes(whole)) << "the resumed run's weights differ from the uninterrupted run's";
  fs::remove_all(w.dir);
}

TEST(TrainCommand, BadInputExitsNonZeroWithAReason) {
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  Workspace w = make_workspace("bad", 40);
  const std::string base = "train " + w.spec + " --data " + w.x + " --labels " + w.y;
  int status = 0;
  std::string text = test::run_cli(base + " -o " + (w.dir / "a.onnx").string() + " --lr -1", &status, true);
  EXPECT_NE(status, 0);
  EXPECT_NE(text.find("--lr"), std::string::npos) << text;
  text = test::run_cli(base + " -o /proc/no/such/dir/a.onnx", &status, true);
  EXPECT_NE(status, 0);
  EXPECT_NE(text.find("error"), std::string::npos) << text;
  std::ofstream(w.dir / "corrupt.json") << R"({"family":"mlp","input":[1,1,8],"classes":0})";
  text = test::run_cli("train " + (w.dir / "corrupt.json").string() + " --data " + w.x + " --labels " + w.y + " -o x.onnx",
                       &status, true);
  EXPECT_NE(status, 0);
  EXPECT_NE(text.find("classes"), std::string::npos) << text;
  fs::create_directories(w.dir / "ck");
  std::ofstream(w.dir / "ck" / "ckpt-5.ewck") << "not a checkpoint";
  text = test::run_cli(base + " -o " + (w.dir / "b.onnx").string() + " --checkpoint " + (w.dir / "ck").string() + " --resume",
                       &status, true);
  EXPECT_NE(status, 0);
  EXPECT_NE(text.find("ckpt-5.ewck"), std::string::npos) << text;
  fs::remove_all(w.dir);
}

TEST(GradientsCommand, WritesTheLossAndEveryGradientAsNpy) {
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  Workspace w = make_workspace("grads", 16);
  int status = -1;
  const std::string model = (w.dir / "m.onnx").string();
  test::run_cli("train " + w.spec + " --data " + w.x + " --labels " + w.y + " --max-steps 1 -o " + model, &status);
  ASSERT_EQ(status, 0);
  const std::string out = (w.dir / "g").string();
  std::string text = test::run_cli("gradients " + model + " --input " + w.x + " --labels " + w.y + " --eval-mode --output-dir " +
                                       out + " --json", &status);
  ASSERT_EQ(status, 0) << text;
  auto m = load_onnx(model);
  ASSERT_TRUE(m.is_ok());
  train::TrainingGraphOptions o;
  o.batch_norm_training = false;
  o.dropout = false;
  auto expected = train::compute_gradients(*m, {{m->graph.inputs[0].name, read_npy(w.x).value()}}, read_npy(w.y).value(), o);
  ASSERT_TRUE(expected.is_ok()) << expected.status().to_string();
  EXPECT_FLOAT_EQ(read_npy(out + "/loss.npy").value().data<float>()[0], expected->loss);
  ASSERT_EQ(expected->gradients.size(), 6u);  // three Gemm weights and biases
  for (const auto& [name, g] : expected->gradients) {
    auto file = read_npy(out + "/" + name + ".npy");
    ASSERT_TRUE(file.is_ok()) << name;
    ASSERT_EQ(file->shape(), g.shape());
    EXPECT_EQ(std::memcmp(file->raw(), g.raw(), g.nbytes()), 0) << name;
  }
  fs::remove_all(w.dir);
}

// --write-graph: the training graph as a model of its own, which a Session
// runs to the same loss and gradients and `bench --profile` times step by step.
TEST(GradientsCommand, WritesTheTrainingGraphAsAModel) {
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  Workspace w = make_workspace("grads-graph", 16);
  int status = -1;
  const std::string model = (w.dir / "m.onnx").string(), graph = (w.dir / "t.onnx").string();
  test::run_cli("train " + w.spec + " --data " + w.x + " --labels " + w.y + " --max-steps 1 -o " + model, &status);
  ASSERT_EQ(status, 0);
  const std::string out = (w.dir / "g").string();
  std::string text = test::run_cli("gradients " + model + " --input " + w.x + " --labels " + w.y + " --output-dir " + out +
                                       " --write-graph " + graph, &status, true);
  ASSERT_EQ(status, 0) << text;
  auto g = load_onnx(graph);
  ASSERT_TRUE(g.is_ok()) << g.status().to_string();
  ASSERT_EQ(g->graph.inputs.size(), 2u);  // the data and the labels; parameters are initializers
  auto session = Session::create(*g);
  ASSERT_TRUE(session.is_ok()) << session.status().to_string();
  const Tensor y = read_npy(w.y).value();
  std::vector<Tensor> result;
  ASSERT_TRUE((*session)->run({read_npy(w.x).value(), Tensor::from_vector<int64_t>(y.shape(), y.to_int64_vector()).value()},
                              result).is_ok());
  EXPECT_FLOAT_EQ(result[0].data<float>()[0], read_npy(out + "/loss.npy").value().data<float>()[0]);
  int compared = 0;
  for (size_t i = 0; i < g->graph.outputs.size(); ++i) {
    const std::string& name = g->graph.outputs[i].name;
    if (name.size() < 5 || name.substr(name.size() - 5) != "_grad") continue;
    auto file = read_npy(out + "/" + name.substr(0, name.size() - 5) + ".npy");
    ASSERT_TRUE(file.is_ok()) << name;
    ASSERT_EQ(file->shape(), result[i].shape()) << name;
    for (int64_t k = 0; k < file->numel(); ++k)
      ASSERT_NEAR(file->data<float>()[k], result[i].data<float>()[k], 1e-5f) << name << "[" << k << "]";
    ++compared;
  }
  EXPECT_EQ(compared, 6);
  const fs::path feed = w.dir / "feed";  // random labels would fall outside the model's classes
  fs::create_directories(feed);
  ASSERT_TRUE(write_npy((feed / "input_0.npy").string(), read_npy(w.x).value()).is_ok());
  ASSERT_TRUE(write_npy((feed / "input_1.npy").string(),
                        Tensor::from_vector<int64_t>(y.shape(), y.to_int64_vector()).value()).is_ok());
  text = test::run_cli("bench " + graph + " --profile --runs 1 --warmup 0 --min-secs 0 --inputs " + feed.string(), &status,
                       true);
  EXPECT_EQ(status, 0) << text;
  EXPECT_NE(text.find("SoftmaxCrossEntropyGrad"), std::string::npos) << text;
  fs::remove_all(w.dir);
}

}  // namespace
}  // namespace ew
