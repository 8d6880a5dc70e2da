// The training loop: it learns, resumes bit-identically from a checkpoint,
// and turns bad input into clear errors.
#include "train/trainer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>

#include "blobs.h"
#include "gradient_check.h"
#include "train/checkpoint.h"
#include "train/model_builder.h"

namespace ew::train {
namespace {

namespace fs = std::filesystem;

using test::blobs;

Model mlp(const std::string& extra = "") {
  auto spec = parse_model_spec(R"({"family":"mlp","input":[1,1,4],"classes":3,"hidden":[16],"seed":3)" + extra + "}", "test");
  EXPECT_TRUE(spec.is_ok()) << spec.status().to_string();
  return build_model(*spec).value();
}

Model small_cnn() {
  auto spec = parse_model_spec(R"({"family":"resnet","input":[1,6,6],"classes":3,"stem":{"channels":4,"kernel":3,"stride":1,"maxpool":false},"stages":[{"c":4,"n":1,"s":1}],"seed":2})",
                               "test");
  EXPECT_TRUE(spec.is_ok()) << spec.status().to_string();
  return build_model(*spec).value();
}

TrainingData images(int64_t n, uint32_t seed) {  // [N, 1, 6, 6]: the class is where the bright square is
  TrainingData d;
  d.inputs = test::random_tensor({n, 1, 6, 6}, seed, 0.0f, 0.2f);
  d.labels = Tensor::create(DType::kInt64, {n}).value();
  for (int64_t i = 0; i < n; ++i) {
    const int64_t c = i % 3;
    d.labels.data<int64_t>()[i] = c;
    for (int64_t y = 0; y < 2; ++y)
      for (int64_t x = 0; x < 2; ++x) d.inputs.data<float>()[i * 36 + (2 * c + y) * 6 + 2 * c + x] += 1.0f;
  }
  return d;
}

bool same_weights(const Model& a, const Model& b) {
  if (a.graph.initializers.size() != b.graph.initializers.size()) return false;
  for (const auto& [name, t] : a.graph.initializers) {
    auto it = b.graph.initializers.find(name);
    if (it == b.graph.initializers.end() || it->second.nbytes() != t.nbytes() ||
        std::memcmp(it->second.raw(), t.raw(), t.nbytes()) != 0)
      return false;
  }
  return true;
}

fs::path fresh_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("ew_trainer_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}

TEST(TrainLoop, LearnsSeparableClasses) {
  Model m = mlp();
  TrainOptions o;
  o.epochs = 8;
  o.batch_size = 16;
  o.lr = 0.01;
  TrainingData val = blobs(60, 9);
  auto r = train(m, blobs(300, 1), val, o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_EQ(r->epochs.size(), 8u);
  EXPECT_LT(r->epochs.back().train_loss, r->epochs.front().train_loss);
  EXPECT_GT(r->epochs.back().val_accuracy, 0.95);
  auto e = evaluate(m, val, 32, 1);
  ASSERT_TRUE(e.is_ok());
  EXPECT_NEAR(e->accuracy, r->epochs.back().val_accuracy, 1e-9) << "the trained weights were written back";
  EXPECT_GT(r->arena_bytes, 0);
  EXPECT_LE(r->arena_bytes, r->naive_bytes);
}

TEST(TrainLoop, TrainsAConvNetWithBatchNormAndUpdatesRunningStatistics) {
  Model m = small_cnn();
  Model before = deep_copy(m);
  TrainOptions o;
  o.epochs = 6;
  o.batch_size = 12;
  o.lr = 0.01;
  auto r = train(m, images(120, 1), images(30, 2), o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_GT(r->epochs.back().val_accuracy, 0.9);
  int moved_stats = 0;
  for (const Node& n : m.graph.nodes)
    if (n.op_type == "BatchNormalization") {
      const Tensor& mean = m.graph.initializers.at(n.inputs[3]);
      moved_stats += std::memcmp(mean.raw(), before.graph.initializers.at(n.inputs[3]).raw(), mean.nbytes()) != 0;
    }
  EXPECT_GT(moved_stats, 0) << "running means follow the batches";
}

TEST(TrainLoop, FrozenParametersStayPut) {
  Model m = mlp();
  Model before = deep_copy(m);
  TrainOptions o;
  o.freeze = {"hidden1.*"};
  auto r = train(m, blobs(64, 1), TrainingData{}, o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_FALSE(r->frozen.empty());
  for (const std::string& f : r->frozen) {
    EXPECT_TRUE(glob_match("hidden1.*", f));
    const Tensor& a = m.graph.initializers.at(f);
    EXPECT_EQ(std::memcmp(a.raw(), before.graph.initializers.at(f).raw(), a.nbytes()), 0) << f;
  }
  EXPECT_FALSE(same_weights(m, before));
}

TEST(TrainLoop, ResumesBitIdenticallyFromACheckpoint) {
  const fs::path dir = fresh_dir("resume");
  TrainOptions o;
  o.epochs = 3;
  o.batch_size = 10;
  o.schedule = "cosine,warmup:3";
  o.augment.horizontal_flip = true;  // draws from the saved random state
  o.checkpoint_dir = dir.string();
  o.checkpoint_every = 4;
  TrainingData data = blobs(95, 1);  // a partial last batch
  Model whole = mlp(R"(,"dropout":0.2)");
  TrainOptions plain = o;
  plain.checkpoint_dir.clear();
  ASSERT_TRUE(train(whole, data, TrainingData{}, plain).is_ok());

  Model part = mlp(R"(,"dropout":0.2)");
  TrainOptions first = o;
  first.max_steps = 13;  // stops mid-epoch; the newest checkpoint is at step 12
  ASSERT_TRUE(train(part, data, TrainingData{}, first).is_ok());
  Model resumed = mlp(R"(,"dropout":0.2)");
  TrainOptions again = o;
  again.resume = true;
  auto r = train(resumed, data, TrainingData{}, again);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->resumed_from_step, 12);
  EXPECT_TRUE(same_weights(resumed, whole)) << "resumed from step 12, the weights differ from the uninterrupted run";
  fs::remove_all(dir);
}

TEST(TrainLoop, ResumeRejectsAnotherRunsCheckpoint) {
  const fs::path dir = fresh_dir("mismatch");
  TrainOptions o;
  o.checkpoint_dir = dir.string();
  o.checkpoint_every = 2;
  Model m = mlp();
  ASSERT_TRUE(train(m, blobs(40, 1), TrainingData{}, o).is_ok());
  TrainOptions other = o;
  other.resume = true;
  other.batch_size = 32;
  Model again = mlp();
  auto r = train(again, blobs(40, 1), TrainingData{}, other);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("fingerprint"), std::string::npos) << r.status().message();
  fs::remove_all(dir);
}

TEST(TrainLoop, BadInputIsAClearError) {
  Model m = mlp();
  TrainingData d = blobs(20, 1);
  TrainOptions o;
  o.lr = 0;
  EXPECT_NE(train(m, d, {}, o).status().message().find("--lr"), std::string::npos);
  o = {};
  o.batch_size = 0;
  EXPECT_NE(train(m, d, {}, o).status().message().find("--batch-size"), std::string::npos);
  o = {};
  TrainingData bad = d;
  bad.labels = d.labels.clone().value();
  bad.labels.data<int64_t>()[5] = 7;
  auto r = train(m, bad, {}, o);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("label 7"), std::string::npos) << r.status().message();
  TrainingData wrong;
  wrong.inputs = Tensor::create(DType::kFloat32, {20, 5}).value();
  wrong.labels = d.labels;
  r = train(m, wrong, {}, o);
  ASSERT_FALSE(r.is_ok());
  EXPECT_FALSE(r.status().message().empty());
  TrainingData short_labels = d;
  short_labels.labels = Tensor::create(DType::kInt64, {19}).value();
  EXPECT_NE(train(m, short_labels, {}, o).status().message().find("first dims"), std::string::npos);
}

TEST(TrainLoop, ANonFiniteLossStopsNamingTheStepAndKeepsTheCheckpoint) {
  const fs::path dir = fresh_dir("nan");
  Model m = mlp();
  TrainingData d = blobs(40, 1);
  d.inputs.data<float>()[30 * 4] = NAN;  // sample 30: in the second or a later batch
  TrainOptions o;
  o.batch_size = 40;  // one batch per epoch: the first step already meets it
  o.checkpoint_dir = dir.string();
  auto r = train(m, d, {}, o);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("at step 1"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("non-finite"), std::string::npos) << r.status().message();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ew::train
