#include "core/npy.h"

#include <gtest/gtest.h>

namespace ew {

TEST(Npy, RoundTripsEveryDtype) {
  for (DType d : {DType::kFloat32, DType::kFloat64, DType::kFloat16, DType::kInt8, DType::kUInt8, DType::kInt16,
                  DType::kInt32, DType::kInt64, DType::kUInt64, DType::kBool}) {
    auto t = Tensor::create(d, {2, 3}).value();
    for (int64_t i = 0; i < t.numel(); ++i) {
      visit_dtype(d, [&](auto tag) {
        using T = typename decltype(tag)::type;
        t.data<T>()[i] = T(static_cast<compute_t<T>>(i % 2));
      });
    }
    std::string bytes = serialize_npy(t);
    EXPECT_EQ((bytes.size() - t.nbytes()) % 64, 0u) << "header must pad to 64 bytes";
    auto back = parse_npy(bytes);
    ASSERT_TRUE(back.is_ok()) << dtype_name(d) << ": " << back.status().to_string();
    EXPECT_EQ(back->dtype(), d);
    EXPECT_EQ(back->shape(), (Shape{2, 3}));
    EXPECT_EQ(back->to_int64_vector(), t.to_int64_vector());
  }
}

TEST(Npy, ScalarAndVectorShapes) {
  auto s = parse_npy(serialize_npy(Tensor::scalar<float>(3.0f).value()));
  ASSERT_TRUE(s.is_ok());
  EXPECT_TRUE(s->shape().empty());
  auto v = parse_npy(serialize_npy(Tensor::from_vector<int32_t>({3}, {1, 2, 3}).value()));
  ASSERT_TRUE(v.is_ok());
  EXPECT_EQ(v->shape(), (Shape{3}));
}

TEST(Npy, RejectsMalformedFiles) {
  std::string good = serialize_npy(Tensor::from_vector<float>({4}, {1, 2, 3, 4}).value());
  EXPECT_FALSE(parse_npy("").is_ok());
  EXPECT_FALSE(parse_npy("NUMPY garbage").is_ok());
  auto truncated = parse_npy(good.substr(0, good.size() - 3));
  ASSERT_FALSE(truncated.is_ok());
  EXPECT_NE(truncated.status().message().find("bytes"), std::string::npos);
  std::string fortran = good;
  fortran.replace(fortran.find("False"), 5, "True ");
  EXPECT_EQ(parse_npy(fortran).status().code(), StatusCode::kUnsupported);
  std::string big_endian = good;
  big_endian.replace(big_endian.find("<f4"), 3, ">f4");
  EXPECT_EQ(parse_npy(big_endian).status().code(), StatusCode::kUnsupported);
  std::string header_overrun = good;
  header_overrun[8] = '\xff';
  header_overrun[9] = '\xff';
  EXPECT_FALSE(parse_npy(header_overrun).is_ok());
}

TEST(Npy, MissingFileIsNotFound) { EXPECT_EQ(read_npy("/nonexistent/x.npy").status().code(), StatusCode::kNotFound); }

}  // namespace ew
