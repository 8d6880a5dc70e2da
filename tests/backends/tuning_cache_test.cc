// The on-disk cache of measured backend choices: round trip, keys that change
// with what the timings depend on, and damaged files read as misses.
#include "backends/tuning_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "ir/graph_builder.h"
#include "test_util.h"

namespace ew {
namespace {

namespace fs = std::filesystem;

struct ScratchDir {
  fs::path path = fs::temp_directory_path() / ("ew_tuning_" + std::to_string(getpid()) + "_" +
                                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  ScratchDir() { fs::remove_all(path); }
  ~ScratchDir() { fs::remove_all(path); }
};

// A TypeLookup over fixed types for one Relu node.
class FixedTypes : public TypeLookup {
 public:
  explicit FixedTypes(Shape shape) : type_(ValueType::of(DType::kFloat32, shape)) {}
  const ValueType* type(const std::string&) const override { return &type_; }
  const Tensor* constant(const std::string&) const override { return nullptr; }
  int64_t opset(const std::string&) const override { return 17; }

 private:
  ValueType type_;
};

StepList relu_steps(const Node& relu) {
  StepList s;
  s.nodes = {&relu};
  s.opsets = {17};
  s.reads = {{"x"}};
  s.graph_outputs = {"y"};
  return s;
}

TEST(TuningCache, SavedChoicesLoadBack) {
  ScratchDir dir;
  BackendChoice c{0, 3, "'conv' (Conv)", 3, "onednn", {{"onednn", 0.001}, {"xnnpack", 0.002}}};
  save_tuning(dir.path.string(), "abc", {c});
  auto back = load_tuning(dir.path.string(), "abc");
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].chosen, "onednn");
  EXPECT_EQ(back[0].end, 3);
  EXPECT_DOUBLE_EQ(back[0].seconds["xnnpack"], 0.002);
  EXPECT_TRUE(load_tuning(dir.path.string(), "other").empty());
}

TEST(TuningCache, DamagedFilesAreMisses) {
  ScratchDir dir;
  fs::create_directories(dir.path);
  for (const char* text : {"", "{", "[]", "{\"key\":\"k\"}", "{\"key\":\"k\",\"choices\":[{\"begin\":\"x\"}]}",
                           "{\"key\":\"k\",\"choices\":[{\"begin\":5,\"end\":2,\"first_node\":\"\",\"nodes\":1,"
                           "\"chosen\":\"x\",\"seconds\":{}}]}"}) {
    std::ofstream(dir.path / "k.json") << text;
    EXPECT_TRUE(load_tuning(dir.path.string(), "k").empty()) << text;
  }
}

TEST(TuningCache, KeyFollowsShapesThreadsAndPrecision) {
  Node relu;
  relu.op_type = "Relu";
  relu.inputs = {"x"};
  relu.outputs = {"y"};
  StepList steps = relu_steps(relu);
  FixedTypes small({1, 8}), large({1, 16});
  BackendOptions one, two, bf16;
  two.threads = 2;
  bf16.bf16 = true;
  const std::string key = tuning_key(steps, small, one, {});
  EXPECT_EQ(key, tuning_key(steps, small, one, {}));
  EXPECT_NE(key, tuning_key(steps, large, one, {}));
  EXPECT_NE(key, tuning_key(steps, small, two, {}));
  EXPECT_NE(key, tuning_key(steps, small, bf16, {}));
  relu.attributes["alpha"] = Attribute::make_float(0.5f);
  EXPECT_NE(key, tuning_key(steps, small, one, {}));
}

}  // namespace
}  // namespace ew
