#include "quant/calibration_source.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "core/npy.h"
#include "ir/graph_builder.h"
#include "test_util.h"

namespace ew::quant {
namespace {

namespace fs = std::filesystem;

Model relu_model(const std::vector<std::string>& names, std::vector<Dim> dims) {
  GraphBuilder b("m");
  for (const auto& n : names) b.output(b.node("Relu", {b.input(n, DType::kFloat32, dims)}), n + "_out");
  auto m = b.build();
  EXPECT_TRUE(m.is_ok()) << m.status().to_string();
  return std::move(m).value();
}

void put_le(std::string& s, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::string deflate_raw(const std::string& in) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, in.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// A minimal zip archive, as np.savez (stored) or np.savez_compressed (deflate) writes.
std::string zip_archive(const std::vector<std::pair<std::string, std::string>>& members, bool deflated) {
  std::string out, cd;
  for (const auto& [name, data] : members) {
    std::string body = deflated ? deflate_raw(data) : data;
    uint32_t crc = static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
    uint64_t offset = out.size();
    put_le(out, 0x04034b50, 4), put_le(out, 20, 2), put_le(out, 0, 2), put_le(out, deflated ? 8 : 0, 2);
    put_le(out, 0, 4), put_le(out, crc, 4), put_le(out, body.size(), 4), put_le(out, data.size(), 4);
    put_le(out, name.size(), 2), put_le(out, 0, 2);
    out += name + body;
    put_le(cd, 0x02014b50, 4), put_le(cd, 20, 2), put_le(cd, 20, 2), put_le(cd, 0, 2), put_le(cd, deflated ? 8 : 0, 2);
    put_le(cd, 0, 4), put_le(cd, crc, 4), put_le(cd, body.size(), 4), put_le(cd, data.size(), 4);
    put_le(cd, name.size(), 2), put_le(cd, 0, 2), put_le(cd, 0, 2), put_le(cd, 0, 2), put_le(cd, 0, 2), put_le(cd, 0, 4);
    put_le(cd, offset, 4);
    cd += name;
  }
  uint64_t cd_offset = out.size();
  out += cd;
  put_le(out, 0x06054b50, 4), put_le(out, 0, 2), put_le(out, 0, 2), put_le(out, members.size(), 2);
  put_le(out, members.size(), 2), put_le(out, cd.size(), 4), put_le(out, cd_offset, 4), put_le(out, 0, 2);
  return out;
}

std::string temp_path(const std::string& name) {
  return (fs::temp_directory_path() / ("ew_calib_" + std::to_string(getpid()) + "_" + name)).string();
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

TEST(CalibrationSourceTest, NpyRowsAreReshapedToTheInput) {
  Model m = relu_model({"x"}, {Dim::symbolic("N"), 1, 2, 2});
  std::string path = temp_path("rows.npy");
  ASSERT_TRUE(write_npy(path, test::make_f32({3, 4}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})).is_ok());
  auto src = open_calibration_source(path, m, 0);
  ASSERT_TRUE(src.is_ok()) << src.status().to_string();
  EXPECT_EQ((*src)->size(), 3);
  std::map<std::string, Tensor> in;
  int n = 0;
  while (*(*src)->next(in)) {
    ASSERT_EQ(in.at("x").shape(), (Shape{1, 1, 2, 2}));
    EXPECT_EQ(in.at("x").data<float>()[0], static_cast<float>(4 * n));
    ++n;
  }
  EXPECT_EQ(n, 3);
  ASSERT_TRUE((*src)->rewind().is_ok());
  ASSERT_TRUE(*(*src)->next(in));
  EXPECT_EQ(in.at("x").data<float>()[3], 3.0f);
  auto capped = open_calibration_source(path, m, 2);
  ASSERT_TRUE(capped.is_ok());
  EXPECT_EQ((*capped)->size(), 2);
  fs::remove(path);
}

TEST(CalibrationSourceTest, NpyThatDoesNotFitTheInputIsAnError) {
  Model m = relu_model({"x"}, {Dim::symbolic("N"), 1, 2, 2});
  std::string path = temp_path("bad.npy");
  ASSERT_TRUE(write_npy(path, test::make_f32({2, 3}, {0, 1, 2, 3, 4, 5})).is_ok());
  auto src = open_calibration_source(path, m, 0);
  ASSERT_FALSE(src.is_ok());
  EXPECT_NE(src.status().message().find("input 'x'"), std::string::npos) << src.status().message();
  fs::remove(path);
}

TEST(CalibrationSourceTest, NpzStoredAndDeflatedFeedInputsByName) {
  Model m = relu_model({"a", "b"}, {Dim::symbolic("N"), 2});
  std::string a = serialize_npy(test::make_f32({2, 2}, {1, 2, 3, 4}));
  std::string b = serialize_npy(test::make<double>({2, 2}, {5, 6, 7, 8}));  // converted to float32
  for (bool deflated : {false, true}) {
    std::string path = temp_path(deflated ? "d.npz" : "s.npz");
    write_file(path, zip_archive({{"b.npy", b}, {"a.npy", a}}, deflated));
    auto src = open_calibration_source(path, m, 0);
    ASSERT_TRUE(src.is_ok()) << src.status().to_string();
    std::map<std::string, Tensor> in;
    ASSERT_TRUE(*(*src)->next(in));
    ASSERT_TRUE(*(*src)->next(in));
    EXPECT_EQ(test::values_f32(in.at("a")), (std::vector<float>{3, 4}));
    EXPECT_EQ(in.at("b").dtype(), DType::kFloat32);
    EXPECT_EQ(test::values_f32(in.at("b")), (std::vector<float>{7, 8}));
    EXPECT_FALSE(*(*src)->next(in));
    fs::remove(path);
  }
}

TEST(CalibrationSourceTest, NpzMissingInputIsNamed) {
  Model m = relu_model({"a", "b"}, {Dim::symbolic("N"), 2});
  auto arrays = parse_npz(zip_archive({{"a.npy", serialize_npy(test::make_f32({1, 2}, {1, 2}))}}, false), "t.npz");
  ASSERT_TRUE(arrays.is_ok());
  auto src = make_array_source(*arrays, m, 0);
  ASSERT_FALSE(src.is_ok());
  EXPECT_NE(src.status().message().find("'b'"), std::string::npos);
}

// Every truncation and many single-byte corruptions of an archive give a Status, never a crash.
TEST(CalibrationSourceTest, CorruptNpzNeverCrashes) {
  std::string npy = serialize_npy(test::make_f32({4, 8}, std::vector<float>(32, 1.5f)));
  for (bool deflated : {false, true}) {
    std::string zip = zip_archive({{"x.npy", npy}}, deflated);
    ASSERT_TRUE(parse_npz(zip, "ok.npz").is_ok());
    for (size_t n = 0; n < zip.size(); ++n) EXPECT_FALSE(parse_npz(zip.substr(0, n), "cut.npz").is_ok()) << n;
    for (size_t i = 0; i < zip.size(); ++i) {
      for (uint8_t v : {0x00, 0xff, 0x7f}) {
        std::string bad = zip;
        bad[i] = static_cast<char>(v);
        (void)parse_npz(bad, "bad.npz");  // must return, ok or not
      }
    }
  }
  auto err = parse_npz("PK\x05\x06 nothing", "junk.npz");
  ASSERT_FALSE(err.is_ok());
  EXPECT_NE(err.status().message().find("junk.npz"), std::string::npos);
}

TEST(CalibrationSourceTest, TestDataFolderFeedsEachSet) {
  EW_REQUIRE_SHARED_MODELS();
  std::string dir = test::shared_models_dir() + "/fashion_mbnet";
  auto model = Model{};
  model.graph.inputs.push_back({"input", ValueType::of(DType::kFloat32, {1, 1, 28, 28})});
  auto src = open_calibration_source(dir, model, 0);
  ASSERT_TRUE(src.is_ok()) << src.status().to_string();
  EXPECT_GE((*src)->size(), 1);
  std::map<std::string, Tensor> in;
  ASSERT_TRUE(*(*src)->next(in));
  ASSERT_EQ(in.size(), 1u);
  EXPECT_EQ(in.begin()->second.numel() % (28 * 28), 0);  // the set holds a batch of images
}

TEST(CalibrationSourceTest, UnknownSpecsAreErrors) {
  Model m = relu_model({"x"}, {Dim::symbolic("N"), 4});
  auto a = open_calibration_source("imagenet", m, 0);
  ASSERT_FALSE(a.is_ok());
  EXPECT_NE(a.status().message().find("fashion-mnist"), std::string::npos);
  EXPECT_FALSE(open_calibration_source("/nonexistent/x.npz", m, 0).is_ok());
  EXPECT_FALSE(open_calibration_source("/nonexistent/x.npy", m, 0).is_ok());
  EXPECT_FALSE(open_calibration_source("/nonexistent/folder/", m, 0).is_ok());
}

TEST(CalibrationSourceTest, FixedBatchInputTakesThatManySamples) {
  Model m = relu_model({"x"}, {3, 2});
  auto arrays = std::map<std::string, Tensor>{{"x", test::make_f32({7, 2}, std::vector<float>(14, 1.0f))}};
  auto src = make_array_source(arrays, m, 0, 1);
  ASSERT_TRUE(src.is_ok()) << src.status().to_string();
  std::map<std::string, Tensor> in;
  int steps = 0;
  while (*(*src)->next(in)) {
    EXPECT_EQ(in.at("x").shape(), (Shape{3, 2}));
    ++steps;
  }
  EXPECT_EQ(steps, 2);  // the last sample cannot make a batch of 3
}

TEST(CalibrationSourceTest, FashionMnistDatasetYieldsTrainingImages) {
  if (!fs::exists("/usr/share/datasets/fashion-mnist")) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  Model m = relu_model({"input"}, {Dim::symbolic("N"), 1, 28, 28});
  auto src = open_calibration_source("fashion-mnist", m, 5);
  ASSERT_TRUE(src.is_ok()) << src.status().to_string();
  EXPECT_EQ((*src)->size(), 5);
  std::map<std::string, Tensor> in;
  ASSERT_TRUE(*(*src)->next(in));
  const Tensor& t = in.at("input");
  ASSERT_EQ(t.shape(), (Shape{1, 1, 28, 28}));
  float lo = 1, hi = 0;
  for (float v : test::values_f32(t)) lo = std::min(lo, v), hi = std::max(hi, v);
  EXPECT_GE(lo, 0.0f);
  EXPECT_LE(hi, 1.0f);
  EXPECT_GT(hi, 0.5f);
}

}  // namespace
}  // namespace ew::quant
