// Helpers for the int8 fast-kernel tests: random quantized tensors, and a
// byte-exact comparison of a fast kernel with the reference kernel.
#pragma once

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "ops/fast/fast_test_util.h"
#include "ops/quant/fast/int8_gemm.h"

namespace ew::test {

#define EW_REQUIRE_INT8_KERNELS()                                                          \
  do {                                                                                     \
    if (!::ew::quant::fast::int8_kernels_supported())                                      \
      GTEST_SKIP() << "this CPU has no AVX-512 VNNI; the int8 kernels decline everywhere"; \
  } while (0)

inline Tensor random_q8(DType t, const Shape& shape, uint32_t seed, int lo = -1000, int hi = 1000) {
  auto r = Tensor::create(t, shape);
  if (!r.is_ok()) std::abort();
  std::mt19937 rng(seed);
  const int tlo = t == DType::kInt8 ? -128 : 0, thi = t == DType::kInt8 ? 127 : 255;
  std::uniform_int_distribution<int> dist(std::max(lo, tlo), std::min(hi, thi));
  for (int64_t i = 0; i < r->numel(); ++i) {
    if (t == DType::kInt8) r->data<int8_t>()[i] = static_cast<int8_t>(dist(rng));
    else r->data<uint8_t>()[i] = static_cast<uint8_t>(dist(rng));
  }
  return std::move(r).value();
}

inline Tensor scalar_q8(DType t, int v) {
  auto r = Tensor::create(t, {});
  if (!r.is_ok()) std::abort();
  if (t == DType::kInt8) r->data<int8_t>()[0] = static_cast<int8_t>(v);
  else r->data<uint8_t>()[0] = static_cast<uint8_t>(v);
  return std::move(r).value();
}

inline Tensor scalar_f32(float v) {
  auto r = Tensor::create(DType::kFloat32, {});
  if (!r.is_ok()) std::abort();
  r->data<float>()[0] = v;
  return std::move(r).value();
}

// Runs the reference, the fast kernel alone and with 2 threads; every output byte must match.
inline void check_int8_matches(const NodeCase& c, const std::string& name, int min_distinct = 12) {
  ThreeRuns runs;
  run_three(c, name, &runs);
  if (::testing::Test::HasFatalFailure()) return;
  {
    // Outputs that are all saturated would prove little.
    const Tensor& r = runs.ref[0];
    std::vector<bool> seen(256, false);
    int distinct = 0;
    for (int64_t i = 0; i < r.numel(); ++i) {
      const uint8_t v = static_cast<const uint8_t*>(r.raw())[i];
      distinct += !seen[v];
      seen[v] = true;
    }
    if (r.numel() >= 64) EXPECT_GE(distinct, min_distinct) << name << ": reference output nearly constant";
  }
  for (const auto* got : {&runs.fast, &runs.threaded}) {
    const Tensor& r = runs.ref[0];
    const Tensor& g = (*got)[0];
    ASSERT_EQ(r.shape(), g.shape());
    ASSERT_EQ(r.dtype(), g.dtype());
    const int64_t bytes = r.numel() * static_cast<int64_t>(dtype_size(r.dtype()));
    const auto* rb = static_cast<const uint8_t*>(r.raw());
    const auto* gb = static_cast<const uint8_t*>(g.raw());
    int bad = 0;
    for (int64_t i = 0; i < bytes && bad < 5; ++i)
      if (rb[i] != gb[i]) {
        ADD_FAILURE() << name << ": byte " << i << " ref " << int(rb[i]) << " fast " << int(gb[i]);
        ++bad;
      }
  }
}

}  // namespace ew::test
