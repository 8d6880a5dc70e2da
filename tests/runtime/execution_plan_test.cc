// The execution plan: planned arena, views, plans per input shape, outputs
// the caller keeps, and allocation-free steady state.
#include "runtime/execution_plan.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <cmath>
#include <new>

#include "backends/backend.h"
#include "check/compare.h"
#include "ir/graph_builder.h"
#include "models/mobilenet.h"
#include "runtime/random_inputs.h"
#include "runtime/session.h"

// Counts every operator new in this process (the library included). The
// replacement pairs malloc with free, as the standard allows. Sanitizer builds
// keep their own allocator (a partial replacement would confuse ASan's
// new/delete pairing); there only tensor buffers are counted.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EW_COUNT_NEW 0
#endif
#endif
#if !defined(EW_COUNT_NEW) && defined(__SANITIZE_ADDRESS__)
#define EW_COUNT_NEW 0
#endif
#ifndef EW_COUNT_NEW
#define EW_COUNT_NEW 1
#endif

namespace {
std::atomic<long> g_news{0};
}
#if EW_COUNT_NEW
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
  g_news.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

namespace ew {
namespace {

Tensor filled(const Shape& shape, float start) {
  auto t = Tensor::create(DType::kFloat32, shape).value();
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = start + 0.001f * static_cast<float>(i % 997);
  return t;
}

Model small_mobilenet(bool symbolic_batch) {
  MobileNetConfig cfg;
  cfg.resolution = 32;
  Model m = build_mobilenet(cfg).value();
  if (!symbolic_batch) m.graph.inputs[0].type.dims[0] = Dim(1);
  return m;
}

// Steady-state runs allocate no tensor buffers on any backend, and nothing at
// all on XNNPACK and our kernels. (oneDNN builds a small map of its arguments
// inside every primitive execution, which no caller can avoid.)
TEST(ExecutionPlan, SteadyStateRunsAllocateNothing) {
  for (const Backend* backend : available_backends()) {
    SCOPED_TRACE(backend->name());
    SessionOptions options;
    options.backend = backend->name();
    auto session = Session::create(small_mobilenet(false), options).value();
    PlanSummary sum = session->plan_summary();
    EXPECT_GT(sum.partition_nodes, 10);
    EXPECT_EQ(sum.reference_steps, 0) << "every node should be planned onto a backend or a view";
    std::vector<Tensor> inputs = {filled({1, 3, 32, 32}, 0.1f)};
    std::vector<Tensor> outputs;
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(session->run(inputs, outputs).is_ok());
    long news_before = g_news.load();
    int64_t buffers_before = Buffer::allocation_count();
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(session->run(inputs, outputs).is_ok());
    if (EW_COUNT_NEW && !backend->own_threads()) {
      EXPECT_EQ(g_news.load() - news_before, 0) << "operator new calls in steady state";
    }
    EXPECT_EQ(Buffer::allocation_count() - buffers_before, 0) << "tensor buffers allocated in steady state";
  }
}

TEST(ExecutionPlan, MatchesReferenceKernels) {
  Model m = small_mobilenet(true);
  SessionOptions ref;
  ref.use_backends = false;
  ref.fast_kernels = false;
  auto fast = Session::create(m).value();
  auto slow = Session::create(m, ref).value();
  std::map<std::string, Tensor> feeds = {{"input", filled({2, 3, 32, 32}, -0.3f)}};
  auto a = fast->run(feeds).value();
  auto b = slow->run(feeds).value();
  Comparison c = compare_tensors(a[0], b[0], Tolerance{1e-4, 1e-5, 0});
  EXPECT_TRUE(c.match) << c.max_abs_error;
  EXPECT_EQ(slow->plan_summary().partition_nodes, 0);
}

TEST(ExecutionPlan, ReplansOncePerNewShape) {
  auto session = Session::create(small_mobilenet(true)).value();
  for (int round = 0; round < 3; ++round)
    for (int64_t n : {1, 3}) {
      auto out = session->run({{"input", filled({n, 3, 32, 32}, 0.2f)}});
      ASSERT_TRUE(out.is_ok()) << out.status().to_string();
      EXPECT_EQ(out.value()[0].dim(0), n);
    }
  EXPECT_EQ(session->memory_stats().plans, 2);
}

TEST(ExecutionPlan, ArenaIsSmallerThanTheSumOfTensors) {
  SessionOptions ref;
  ref.use_backends = false;  // every intermediate is a planned tensor
  auto session = Session::create(small_mobilenet(false), ref).value();
  MemoryStats m = session->memory_stats();
  EXPECT_GT(m.naive_bytes, 0);
  EXPECT_LT(m.arena_bytes, m.naive_bytes / 2);
}

TEST(ExecutionPlan, OutputsKeptByTheCallerAreNotOverwritten) {
  auto session = Session::create(small_mobilenet(false)).value();
  auto first = session->run({{"input", filled({1, 3, 32, 32}, 0.5f)}}).value();
  Tensor kept = first[0].clone().value();
  auto second = session->run({{"input", filled({1, 3, 32, 32}, -0.5f)}}).value();
  EXPECT_TRUE(compare_tensors(first[0], kept).match) << "a later run changed an earlier result";
  EXPECT_FALSE(compare_tensors(second[0], kept).match);
}

TEST(ExecutionPlan, ReshapeBecomesAView) {
  GraphBuilder b("views");
  std::string x = b.input("x", DType::kFloat32, {2, 6});
  std::string y = b.node("Tanh", {x});
  y = b.node("Reshape", {y, b.constant("shape", Tensor::from_vector<int64_t>({2}, {3, 4}).value())});
  y = b.node("Tanh", {y});
  b.output(y);
  SessionOptions opts;
  opts.use_backends = false;
  opts.opt_level = 0;
  auto session = Session::create(b.build().value(), opts).value();
  EXPECT_EQ(session->plan_summary().view_steps, 1);
  auto out = session->run({{"x", filled({2, 6}, 0.0f)}}).value();
  ASSERT_EQ(out[0].shape(), (Shape{3, 4}));
  EXPECT_NEAR(out[0].data<float>()[11], std::tanh(std::tanh(0.011f)), 1e-6);
}

TEST(ExecutionPlan, DataDependentShapesStayDynamic) {
  GraphBuilder b("dynamic");
  std::string x = b.input("x", DType::kFloat32, {8});
  std::string nz = b.node("NonZero", {x});
  b.output(b.node("Cast", {nz}, {{"to", Attribute::make_int(1)}}));
  auto session = Session::create(b.build().value()).value();
  EXPECT_GE(session->plan_summary().dynamic_steps, 1);
  Tensor in = Tensor::from_vector<float>({8}, {0, 1, 0, 2, 0, 0, 3, 0}).value();
  auto out = session->run({{"x", in}}).value();
  ASSERT_EQ(out[0].shape(), (Shape{1, 3}));
  EXPECT_EQ(out[0].data<float>()[2], 6.0f);
}

}  // namespace
}  // namespace ew

namespace ew {
namespace {

TEST(ExecutionPlan, ElementwiseStepsWriteOverTheirDyingInput) {
  GraphBuilder b("in_place");
  std::string x = b.input("x", DType::kFloat32, {4, 256});
  std::string a = b.node("Exp", {x});   // a dies at the first Tanh: Tanh may overwrite it
  std::string t = b.node("Tanh", {a});
  std::string u = b.node("Tanh", {t});
  std::string v = b.node("Add", {u, a});
  b.output(b.node("Sigmoid", {v}));
  SessionOptions opts;
  opts.use_backends = false;
  opts.opt_level = 0;
  auto session = Session::create(b.build().value(), opts).value();
  // `a` is read again by Add, so the first Tanh must not take its bytes; the second Tanh may take t's,
  // and Sigmoid's output is a graph output (its own buffer).
  EXPECT_EQ(session->plan_summary().in_place_steps, 1);
  Tensor in = filled({4, 256}, -0.5f);
  auto out = session->run({{"x", in}}).value();
  for (int64_t i : {0, 77, 1023}) {
    float xa = std::exp(in.data<float>()[i]);
    float want = 1.0f / (1.0f + std::exp(-(std::tanh(std::tanh(xa)) + xa)));
    EXPECT_NEAR(out[0].data<float>()[i], want, 1e-6) << i;
  }
  MemoryStats m = session->memory_stats();
  EXPECT_LT(m.arena_bytes, m.naive_bytes);
}

}  // namespace
}  // namespace ew

namespace ew {
namespace {

// Found by fuzzing: a declared output shape that contradicts the node reached
// XNNPACK, which asserts. It is now a load error naming the output.
TEST(ExecutionPlan, DeclaredOutputShapeThatContradictsTheGraphIsAnError) {
  GraphBuilder b("bad_output");
  std::string x = b.input("x", DType::kFloat32, {1, 3, 8, 8});
  std::string y = b.node("AveragePool", {x}, {{"kernel_shape", Attribute::make_ints({3, 3})}});
  b.output(y);
  Model m = b.build().value();
  m.graph.outputs[0].type = ValueType::of(DType::kFloat32, Shape{1, 3, 7, 7});
  auto s = Session::create(m);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.status().message().find("declared"), std::string::npos) << s.status().to_string();
}

}  // namespace
}  // namespace ew
