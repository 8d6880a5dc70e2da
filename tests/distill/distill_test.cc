// Distillation end to end on small data: a student learns from a trained
// teacher through cached logits or with the teacher alongside, a chain
// measures every stage, and mismatched models are clear errors.
#include "distill/chain.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "ir/onnx_export.h"
#include "train/blobs.h"
#include "train/model_builder.h"

namespace ew::distill {
namespace {

namespace fs = std::filesystem;

train::TrainingData blobs(int64_t n, uint32_t seed) { return train::test::blobs(n, seed, 0.4f); }

Model mlp(const std::string& hidden, int classes = 3, int seed = 3) {
  auto spec = train::parse_model_spec(R"({"family":"mlp","input":[1,1,4],"classes":)" + std::to_string(classes) +
                                          R"(,"hidden":[)" + hidden + R"(],"seed":)" + std::to_string(seed) + "}",
                                      "test");
  EXPECT_TRUE(spec.is_ok()) << spec.status().to_string();
  return train::build_model(*spec).value();
}

struct Fixture {
  fs::path dir = fs::temp_directory_path() / ("ew_distill_" + std::to_string(::getpid()));
  train::TrainingData data = blobs(240, 1), test = blobs(90, 2);
  Model teacher = mlp("32");
  Fixture() {
    fs::remove_all(dir);
    fs::create_directories(dir);
    train::TrainOptions o;
    o.epochs = 15;
    o.batch_size = 16;
    o.lr = 0.01;
    EXPECT_TRUE(train::train(teacher, data, {}, o).is_ok());
  }
  ~Fixture() { fs::remove_all(dir); }
  DistillOptions options() const {
    DistillOptions o;
    o.train.epochs = 10;
    o.train.batch_size = 16;
    o.train.lr = 0.01;
    o.train.loss.temperature = 2;
    o.cache_dir = (dir / "cache").string();
    return o;
  }
};

TEST(Distill, StudentLearnsFromCachedTeacherLogits) {
  Fixture f;
  Model student = mlp("4", 3, 7);
  auto r = distill(f.teacher, student, f.data, {}, f.options());
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_FALSE(r->alongside);
  EXPECT_TRUE(fs::exists(r->cache.path));
  EXPECT_EQ(r->cache.rows, f.data.size());
  ASSERT_EQ(r->train.epochs.size(), 10u);
  EXPECT_LT(r->train.epochs.back().train_loss, r->train.epochs.front().train_loss);
  auto e = train::evaluate(student, f.test, 64, 1);
  ASSERT_TRUE(e.is_ok());
  EXPECT_GT(e->accuracy, 0.9);
}

TEST(Distill, AugmentationRunsTheTeacherAlongside) {
  Fixture f;
  Model student = mlp("4", 3, 7);
  DistillOptions o = f.options();
  o.train.epochs = 2;
  o.train.augment.horizontal_flip = true;
  auto r = distill(f.teacher, student, f.data, {}, o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_TRUE(r->alongside);
  EXPECT_TRUE(r->cache.path.empty());
}

TEST(Distill, ChainMeasuresEveryStage) {
  Fixture f;
  const std::string teacher = (f.dir / "teacher.onnx").string();
  ASSERT_TRUE(save_onnx(f.teacher, teacher).is_ok());
  const std::string mid = (f.dir / "mid.json").string(), small = (f.dir / "small.json").string();
  std::ofstream(mid) << R"({"family":"mlp","input":[1,1,4],"classes":3,"hidden":[12],"seed":4})";
  std::ofstream(small) << R"({"family":"mlp","input":[1,1,4],"classes":3,"hidden":[4],"seed":5})";
  std::vector<ChainStage> stages{{teacher, ""}, {mid, (f.dir / "out.stage1.onnx").string()},
                                 {small, (f.dir / "out.onnx").string()}};
  StageMetricsOptions mo;
  mo.runs = 2;
  mo.min_seconds = 0;
  DistillOptions o = f.options();
  o.train.epochs = 5;
  auto r = distill_chain(stages, f.data, {}, f.test, o, mo);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_FALSE((*r)[0].distill.has_value());
  for (size_t i = 0; i < 3; ++i) {
    const StageMetrics& m = (*r)[i].metrics;
    EXPECT_GT(m.parameters, 0) << i;
    EXPECT_GT(m.file_bytes, 0) << i;
    EXPECT_GE(m.accuracy, 0.0) << i;
    EXPECT_GT(m.measured_p50_ms, 0.0) << i;
    EXPECT_LT(m.predicted_ms, 0.0) << i;  // no device profile given
  }
  EXPECT_GT((*r)[0].metrics.parameters, (*r)[1].metrics.parameters);
  EXPECT_GT((*r)[1].metrics.parameters, (*r)[2].metrics.parameters);
  EXPECT_TRUE(fs::exists(f.dir / "out.stage1.onnx"));
  EXPECT_TRUE(fs::exists(f.dir / "out.onnx"));
}

TEST(Distill, MismatchedModelsAreClearErrors) {
  Fixture f;
  Model four = mlp("4", 4);
  auto r = distill(f.teacher, four, f.data, {}, f.options());
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("3 classes"), std::string::npos) << r.status().to_string();
  std::vector<ChainStage> spec_teacher{{(f.dir / "t.json").string(), ""}, {(f.dir / "s.json").string(), "x.onnx"}};
  auto c = distill_chain(spec_teacher, f.data, {}, f.test, f.options(), {});
  ASSERT_FALSE(c.is_ok());
  EXPECT_NE(c.status().message().find("teacher"), std::string::npos);
  EXPECT_FALSE(distill_chain({{"t.onnx", ""}}, f.data, {}, f.test, f.options(), {}).is_ok());
}

}  // namespace
}  // namespace ew::distill
