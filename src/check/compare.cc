#include "check/compare.h"

#include <cmath>

namespace ew {

Comparison compare_tensors(const Tensor& actual, const Tensor& expected, const Tolerance& tol) {
  Comparison c;
  if (actual.dtype() != expected.dtype()) {
    c.message = "dtype " + std::string(dtype_name(actual.dtype())) + " != expected " + dtype_name(expected.dtype());
    return c;
  }
  if (actual.shape() != expected.shape()) {
    c.message = "shape " + shape_to_string(actual.shape()) + " != expected " + shape_to_string(expected.shape());
    return c;
  }
  bool floating = is_float(actual.dtype());
  for (int64_t i = 0; i < actual.numel(); ++i) {
    double a = actual.get_double(i), e = expected.get_double(i);
    bool ok;
    if (floating) {
      if (std::isnan(e) || std::isnan(a)) {
        ok = std::isnan(e) && std::isnan(a);
      } else if (std::isinf(e) || std::isinf(a)) {
        ok = a == e;
      } else {
        double err = std::fabs(a - e);
        c.max_abs_error = std::max(c.max_abs_error, err);
        if (e != 0) c.max_rel_error = std::max(c.max_rel_error, err / std::fabs(e));
        ok = err <= tol.atol + tol.rtol * std::fabs(e);
      }
    } else {
      // uint64 values past INT64_MAX compare through their difference, which is exact.
      double err = actual.dtype() == DType::kUInt64
                       ? static_cast<double>(actual.data<uint64_t>()[i] > expected.data<uint64_t>()[i]
                                                 ? actual.data<uint64_t>()[i] - expected.data<uint64_t>()[i]
                                                 : expected.data<uint64_t>()[i] - actual.data<uint64_t>()[i])
                       : std::fabs(static_cast<double>(actual.get_int64(i)) - static_cast<double>(expected.get_int64(i)));
      c.max_abs_error = std::max(c.max_abs_error, err);
      ok = err <= static_cast<double>(tol.int_steps);
    }
    if (!ok) ++c.mismatches;
  }
  c.match = c.mismatches == 0;
  if (!c.match)
    c.message = std::to_string(c.mismatches) + " of " + std::to_string(actual.numel()) +
                " values differ (max abs error " + std::to_string(c.max_abs_error) + ")";
  return c;
}

}  // namespace ew
