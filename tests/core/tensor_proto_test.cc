#include "core/tensor_proto.h"

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>

namespace ew {
namespace fs = std::filesystem;

TEST(TensorProto, RawDataRoundTrip) {
  auto t = Tensor::from_vector<float>({2, 2}, {1, -2, 3.5f, 4}).value();
  onnx::TensorProto p;
  tensor_to_proto(t, "w", &p);
  auto back = tensor_from_proto(p);
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(back->shape(), (Shape{2, 2}));
  EXPECT_EQ(back->data<float>()[2], 3.5f);
}

TEST(TensorProto, TypedFieldsIncludingHalfBits) {
  onnx::TensorProto p;
  p.set_data_type(onnx::TensorProto::FLOAT16);
  p.add_dims(2);
  p.add_int32_data(0x3c00);  // 1.0
  p.add_int32_data(0xc000);  // -2.0
  auto t = tensor_from_proto(p);
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ(t->get_double(0), 1.0);
  EXPECT_EQ(t->get_double(1), -2.0);

  onnx::TensorProto u;
  u.set_data_type(onnx::TensorProto::UINT64);
  u.add_dims(1);
  u.add_uint64_data(UINT64_MAX);
  EXPECT_EQ(tensor_from_proto(u)->data<uint64_t>()[0], UINT64_MAX);
}

TEST(TensorProto, SizeMismatchAndBadTypesAreErrors) {
  onnx::TensorProto p;
  p.set_name("w");
  p.set_data_type(onnx::TensorProto::FLOAT);
  p.add_dims(3);
  p.add_float_data(1.0f);
  auto r = tensor_from_proto(p);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("'w'"), std::string::npos);
  p.set_raw_data(std::string(5, '\0'));
  EXPECT_FALSE(tensor_from_proto(p).is_ok());
  p.set_data_type(onnx::TensorProto::STRING);
  EXPECT_EQ(tensor_from_proto(p).status().code(), StatusCode::kUnsupported);
  onnx::TensorProto neg;
  neg.set_data_type(onnx::TensorProto::FLOAT);
  neg.add_dims(-4);
  EXPECT_FALSE(tensor_from_proto(neg).is_ok());
}

class ExternalData : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ew_ext_" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "model");
    std::ofstream(dir_ / "model" / "w.bin", std::ios::binary).write("\0\0\x80\x3f\0\0\0\x40", 8);  // 1.0f, 2.0f
    std::ofstream(dir_ / "secret.bin", std::ios::binary).write("\0\0\x80\x3f\0\0\0\x40", 8);
  }
  void TearDown() override { fs::remove_all(dir_); }
  onnx::TensorProto external(const std::string& location, int64_t offset = 0) {
    onnx::TensorProto p;
    p.set_name("w");
    p.set_data_type(onnx::TensorProto::FLOAT);
    p.add_dims(2);
    p.set_data_location(onnx::TensorProto::EXTERNAL);
    auto* e = p.add_external_data();
    e->set_key("location");
    e->set_value(location);
    auto* o = p.add_external_data();
    o->set_key("offset");
    o->set_value(std::to_string(offset));
    return p;
  }
  fs::path dir_;
};

TEST_F(ExternalData, ReadsFromSideFile) {
  auto t = tensor_from_proto(external("w.bin"), (dir_ / "model").string());
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ(t->data<float>()[0], 1.0f);
  EXPECT_EQ(t->data<float>()[1], 2.0f);
}

TEST_F(ExternalData, PathsEscapingTheModelFolderAreRejected) {
  auto up = tensor_from_proto(external("../secret.bin"), (dir_ / "model").string());
  ASSERT_FALSE(up.is_ok());
  EXPECT_NE(up.status().message().find("escapes"), std::string::npos) << up.status().message();
  auto abs = tensor_from_proto(external((dir_ / "secret.bin").string()), (dir_ / "model").string());
  ASSERT_FALSE(abs.is_ok());
  EXPECT_NE(abs.status().message().find("absolute"), std::string::npos);
}

TEST_F(ExternalData, ShortOrMissingFilesAreErrors) {
  EXPECT_FALSE(tensor_from_proto(external("w.bin", 4), (dir_ / "model").string()).is_ok());
  EXPECT_EQ(tensor_from_proto(external("nope.bin"), (dir_ / "model").string()).status().code(), StatusCode::kNotFound);
}

TEST(TensorProtoFile, CorruptBytesAreAnError) {
  EXPECT_FALSE(parse_tensor_pb("\xff\xff\xff\xff garbage").is_ok());
  EXPECT_EQ(read_tensor_pb("/nonexistent.pb").status().code(), StatusCode::kNotFound);
}

}  // namespace ew
