// Teacher logits: cached on disk (computed once, reused, rows read by index,
// a damaged file recomputed) and run alongside; both give the teacher's outputs.
#include "distill/teacher.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "runtime/session.h"
#include "train/gradient_check.h"
#include "train/model_builder.h"

namespace ew::distill {
namespace {

namespace fs = std::filesystem;

Model teacher_mlp() {
  auto spec = train::parse_model_spec(R"({"family":"mlp","input":[1,1,4],"classes":3,"hidden":[8],"seed":5})", "test");
  EXPECT_TRUE(spec.is_ok()) << spec.status().to_string();
  return train::build_model(*spec).value();
}

// The teacher's logits for rows `index` of `x`, straight from a session.
std::vector<float> expected_rows(const Model& teacher, const Tensor& x, const std::vector<int64_t>& index) {
  auto s = Session::create(teacher).value();
  auto y = s->run({{teacher.graph.inputs[0].name, x}}).value()[0];
  std::vector<float> out;
  for (int64_t i : index)
    for (int64_t k = 0; k < y.dim(1); ++k) out.push_back(y.data<float>()[i * y.dim(1) + k]);
  return out;
}

std::vector<float> values(const Tensor& t) { return std::vector<float>(t.data<float>(), t.data<float>() + t.numel()); }

TEST(TeacherLogits, CachedOnceReadByIndexAndReused) {
  const fs::path dir = fs::temp_directory_path() / ("ew_teacher_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const Model teacher = teacher_mlp();
  const Tensor x = train::test::random_tensor({300, 1, 1, 4}, 3);  // more rows than one teacher batch
  TeacherCache info;
  auto fn = cached_teacher(teacher, x, dir.string(), 1, &info);
  ASSERT_TRUE(fn.is_ok()) << fn.status().to_string();
  EXPECT_FALSE(info.reused);
  EXPECT_EQ(info.rows, 300);
  EXPECT_EQ(info.classes, 3);
  EXPECT_TRUE(fs::exists(info.path));
  const std::vector<int64_t> index{299, 0, 257, 5, 5};
  auto rows = (*fn)(index, Tensor());
  ASSERT_TRUE(rows.is_ok()) << rows.status().to_string();
  EXPECT_EQ(rows->shape(), (Shape{5, 3}));
  const std::vector<float> expected = expected_rows(teacher, x, index);
  ASSERT_EQ(values(*rows).size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(values(*rows)[i], expected[i], 1e-6f) << i;
  EXPECT_FALSE((*fn)({300}, Tensor()).is_ok());  // out of range: an error, not a read past the end

  TeacherCache again;
  ASSERT_TRUE(cached_teacher(teacher, x, dir.string(), 1, &again).is_ok());
  EXPECT_TRUE(again.reused);
  EXPECT_EQ(again.path, info.path);

  // Other inputs: another file. A damaged file: computed again.
  TeacherCache other;
  ASSERT_TRUE(cached_teacher(teacher, train::test::random_tensor({10, 1, 1, 4}, 4), dir.string(), 1, &other).is_ok());
  EXPECT_NE(other.path, info.path);
  fs::resize_file(info.path, 100);
  TeacherCache repaired;
  auto fixed = cached_teacher(teacher, x, dir.string(), 1, &repaired);
  ASSERT_TRUE(fixed.is_ok());
  EXPECT_FALSE(repaired.reused);
  auto again_rows = (*fixed)(index, Tensor());
  ASSERT_TRUE(again_rows.is_ok());
  EXPECT_EQ(values(*again_rows), values(*rows));
  fs::remove_all(dir);
}

TEST(TeacherLogits, AlongsideRunsTheTeacherOnTheBatch) {
  const Model teacher = teacher_mlp();
  const Tensor x = train::test::random_tensor({7, 1, 1, 4}, 9);
  auto fn = teacher_alongside(teacher, 1);
  ASSERT_TRUE(fn.is_ok()) << fn.status().to_string();
  auto y = (*fn)({}, x);
  ASSERT_TRUE(y.is_ok()) << y.status().to_string();
  const std::vector<float> expected = expected_rows(teacher, x, {0, 1, 2, 3, 4, 5, 6});
  EXPECT_EQ(values(*y), expected);
}

TEST(TeacherLogits, ATeacherWithoutLogitsIsAClearError) {
  const Model teacher = teacher_mlp();
  const fs::path dir = fs::temp_directory_path() / ("ew_teacher_bad_" + std::to_string(::getpid()));
  auto wrong = cached_teacher(teacher, train::test::random_tensor({4, 1, 1, 5}, 1), dir.string(), 1);
  EXPECT_FALSE(wrong.is_ok());
  EXPECT_TRUE(fs::is_empty(dir));  // no half-written cache left behind
  EXPECT_FALSE(cached_teacher(teacher, Tensor(), dir.string(), 1).is_ok());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ew::distill
