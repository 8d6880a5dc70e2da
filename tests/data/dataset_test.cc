#include "data/dataset.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace ew {
namespace {

namespace fs = std::filesystem;

std::string idx_bytes(const std::vector<uint32_t>& dims, const std::vector<uint8_t>& data) {
  std::string s = {0, 0, 0x08, static_cast<char>(dims.size())};
  for (uint32_t d : dims)
    for (int k = 3; k >= 0; --k) s.push_back(static_cast<char>((d >> (8 * k)) & 0xff));
  s.append(data.begin(), data.end());
  return s;
}

void write_gz(const std::string& path, const std::string& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(f);
}

fs::path temp_dir() {
  fs::path d = fs::temp_directory_path() / ("ew_dataset_" + std::to_string(getpid()));
  fs::create_directories(d);
  return d;
}

TEST(DatasetTest, ParsesIdx) {
  auto t = parse_idx(idx_bytes({2, 2, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}), "mem");
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ(t->shape(), (Shape{2, 2, 3}));
  EXPECT_EQ(t->data<uint8_t>()[11], 11);
  auto first = parse_idx(idx_bytes({2, 2, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}), "mem", 1);
  ASSERT_TRUE(first.is_ok());
  EXPECT_EQ(first->shape(), (Shape{1, 2, 3}));
}

TEST(DatasetTest, TruncatedOrCorruptIdxIsAnError) {
  std::string good = idx_bytes({3, 4}, std::vector<uint8_t>(12, 7));
  for (size_t n = 0; n < good.size(); ++n) EXPECT_FALSE(parse_idx(good.substr(0, n), "cut").is_ok()) << n;
  for (size_t i = 0; i < 12; ++i) {
    for (char v : {'\x00', '\xff', '\x09'}) {
      std::string bad = good;
      bad[i] = v;
      (void)parse_idx(bad, "bad");  // returns, ok or not
    }
  }
  auto huge = parse_idx(idx_bytes({0xffffffffu, 0xffffffffu, 0xffffffffu}, {}), "huge");
  ASSERT_FALSE(huge.is_ok());
  EXPECT_NE(huge.status().message().find("huge"), std::string::npos);
  EXPECT_EQ(parse_idx(std::string("\0\0\x0d\x01", 4), "float").status().code(), StatusCode::kUnsupported);
}

TEST(DatasetTest, GzipFilesAndCorruptGzip) {
  fs::path d = temp_dir();
  std::string bytes = idx_bytes({2, 3}, {1, 2, 3, 4, 5, 6});
  write_gz((d / "ok.gz").string(), bytes);
  auto t = read_idx_file((d / "ok.gz").string());
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ(t->numel(), 6);
  // Corrupt the compressed stream and cut it short: errors, no crash.
  std::string gz;
  {
    std::ifstream f(d / "ok.gz", std::ios::binary);
    gz.assign(std::istreambuf_iterator<char>(f), {});
  }
  for (size_t n = 1; n < gz.size(); n += 3) {
    std::ofstream(d / "cut.gz", std::ios::binary) << gz.substr(0, n);
    (void)read_idx_file((d / "cut.gz").string());
    std::string bad = gz;
    bad[n] = static_cast<char>(bad[n] ^ 0x5a);
    std::ofstream(d / "bad.gz", std::ios::binary) << bad;
    (void)read_idx_file((d / "bad.gz").string());
  }
  std::ofstream(d / "short.gz", std::ios::binary) << gz.substr(0, gz.size() / 2);
  EXPECT_FALSE(read_idx_file((d / "short.gz").string()).is_ok());
  fs::remove_all(d);
}

TEST(DatasetTest, SmallFashionMnistFolder) {
  fs::path d = temp_dir();
  std::vector<uint8_t> pixels(3 * 28 * 28, 0);
  pixels[0] = 255;
  pixels[28 * 28] = 51;
  write_gz((d / "t10k-images-idx3-ubyte.gz").string(), idx_bytes({3, 28, 28}, pixels));
  write_gz((d / "t10k-labels-idx1-ubyte.gz").string(), idx_bytes({3}, {9, 0, 4}));
  auto ds = load_fashion_mnist("test", 2, d.string());
  ASSERT_TRUE(ds.is_ok()) << ds.status().to_string();
  EXPECT_EQ(ds->images.shape(), (Shape{2, 1, 28, 28}));
  EXPECT_EQ(ds->labels, (std::vector<int>{9, 0}));
  EXPECT_FLOAT_EQ(ds->images.data<float>()[0], 1.0f);
  EXPECT_FLOAT_EQ(ds->images.data<float>()[28 * 28], 0.2f);
  auto missing = load_fashion_mnist("train", 2, d.string());
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("train-images-idx3-ubyte.gz"), std::string::npos);
  EXPECT_NE(missing.status().message().find("dataset-fashion-mnist"), std::string::npos);
  EXPECT_FALSE(load_fashion_mnist("validation", 2, d.string()).is_ok());
  fs::remove_all(d);
}

TEST(DatasetTest, RealFashionMnistTestSplit) {
  if (!fs::exists(kFashionMnistDir)) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  auto ds = load_fashion_mnist("test", 100);
  ASSERT_TRUE(ds.is_ok()) << ds.status().to_string();
  EXPECT_EQ(ds->images.shape(), (Shape{100, 1, 28, 28}));
  ASSERT_EQ(ds->labels.size(), 100u);
  for (int l : ds->labels) EXPECT_TRUE(l >= 0 && l < 10);
}

}  // namespace
}  // namespace ew
