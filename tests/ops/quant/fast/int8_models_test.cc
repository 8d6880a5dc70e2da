// Whole int8 models: outputs with the int8 fast kernels (AVX-512 VNNI) are
// identical to reference-only execution, at 1 and 2 threads, and the int8
// kernels actually run (XNNPACK keeps none of the quantized convolutions).
#include <gtest/gtest.h>

#include <cstring>

#include "check/test_data.h"
#include "ops/quant/fast/int8_test_util.h"
#include "runtime/session.h"
#include "test_util.h"

namespace ew {
namespace {

Result<std::vector<Tensor>> run_model(const std::string& dir, const SessionOptions& options, PlanSummary* summary) {
  EW_ASSIGN_OR_RETURN(auto session, Session::load(dir + "/model.onnx", options));
  EW_ASSIGN_OR_RETURN(TestDataSet data, read_test_data_set(dir + "/test_data_set_0"));
  EW_ASSIGN_OR_RETURN(auto feeds, bind_inputs(*session, data));
  EW_ASSIGN_OR_RETURN(auto outputs, session->run(feeds));
  if (summary) *summary = session->plan_summary();
  return outputs;
}

void expect_identical(const std::vector<Tensor>& a, const std::vector<Tensor>& b, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].dtype(), b[i].dtype()) << what;
    ASSERT_EQ(a[i].shape(), b[i].shape()) << what;
    const size_t bytes = static_cast<size_t>(a[i].numel()) * dtype_size(a[i].dtype());
    EXPECT_EQ(std::memcmp(a[i].raw(), b[i].raw(), bytes), 0) << what << ": output " << i << " differs";
  }
}

class Int8Model : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(Int8Model, FastKernelsMatchReferenceExactly) {
  EW_REQUIRE_SHARED_MODELS();
  EW_REQUIRE_INT8_KERNELS();
  const std::string dir = test::shared_models_dir() + "/" + GetParam();
  SessionOptions reference;
  reference.use_backends = false;
  reference.fast_kernels = false;
  auto expected = run_model(dir, reference, nullptr);
  ASSERT_TRUE(expected.is_ok()) << expected.status().to_string();
  for (int threads : {1, 2}) {
    SessionOptions fast;
    fast.threads = threads;
    PlanSummary summary;
    auto got = run_model(dir, fast, &summary);
    ASSERT_TRUE(got.is_ok()) << got.status().to_string();
    expect_identical(*expected, *got, GetParam() + " threads " + std::to_string(threads));
    EXPECT_GT(summary.fast_kernel_steps, 10) << "the int8 kernels did not take the convolutions";
  }
}

INSTANTIATE_TEST_SUITE_P(SharedInt8, Int8Model,
                         ::testing::Values("mobilenet_v2_qdq_random", "mobilenetv2_12_int8", "mbv2_cifar10_int8",
                                           "ic_quantized_int8"));

}  // namespace ew
