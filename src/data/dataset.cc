#include "data/dataset.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <random>
#include <filesystem>
#include <functional>

namespace ew {

namespace {

// Reads up to n bytes into dst; returns the count read, or -1 on a read error.
using ReadFn = std::function<int64_t(void* dst, int64_t n)>;

Result<Tensor> read_idx(const ReadFn& read, const std::string& what, int64_t max_items) {
  uint8_t magic[4];
  if (read(magic, 4) != 4) return invalid_argument(what + ": not an IDX file (shorter than its 4-byte magic number)");
  if (magic[0] != 0 || magic[1] != 0) return invalid_argument(what + ": not an IDX file (bad magic number)");
  if (magic[2] != 0x08) return unsupported(what + ": IDX data type " + std::to_string(magic[2]) + " (only unsigned bytes, 0x08, are read)");
  int rank = magic[3];
  if (rank < 1 || rank > 4) return invalid_argument(what + ": IDX file with " + std::to_string(rank) + " dimensions");
  Shape shape;
  for (int d = 0; d < rank; ++d) {
    uint8_t b[4];
    if (read(b, 4) != 4) return invalid_argument(what + ": IDX header is truncated");
    shape.push_back((int64_t{b[0]} << 24) | (int64_t{b[1]} << 16) | (int64_t{b[2]} << 8) | int64_t{b[3]});
  }
  if (max_items > 0 && shape[0] > max_items) shape[0] = max_items;
  auto numel = shape_numel(shape);
  if (!numel || *numel > max_tensor_bytes()) return invalid_argument(what + ": IDX dims " + shape_to_string(shape) + " are too large");
  // Read in chunks before allocating the tensor: a corrupt header cannot make us allocate more than the data holds.
  std::string data;
  constexpr int64_t kChunk = int64_t{1} << 20;
  while (static_cast<int64_t>(data.size()) < *numel) {
    size_t at = data.size();
    int64_t want = std::min(kChunk, *numel - static_cast<int64_t>(at));
    data.resize(at + static_cast<size_t>(want));
    int64_t got = read(data.data() + at, want);
    if (got < 0) return io_error(what + ": read error (corrupt gzip data?)");
    data.resize(at + static_cast<size_t>(got));
    if (got < want) break;
  }
  if (static_cast<int64_t>(data.size()) != *numel)
    return invalid_argument(what + ": IDX data is truncated (" + std::to_string(data.size()) + " of " + std::to_string(*numel) + " bytes)");
  EW_ASSIGN_OR_RETURN(Tensor t, Tensor::create(DType::kUInt8, shape));
  std::memcpy(t.raw(), data.data(), data.size());
  return t;
}

}  // namespace

Result<Tensor> parse_idx(const std::string& bytes, const std::string& what, int64_t max_items) {
  size_t pos = 0;
  ReadFn read = [&](void* dst, int64_t n) -> int64_t {
    size_t take = std::min(bytes.size() - pos, static_cast<size_t>(n));
    std::memcpy(dst, bytes.data() + pos, take);
    pos += take;
    return static_cast<int64_t>(take);
  };
  return read_idx(read, what, max_items);
}

Result<Tensor> read_idx_file(const std::string& path, int64_t max_items) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return not_found("cannot open '" + path + "'");
  ReadFn read = [&](void* dst, int64_t n) -> int64_t {
    int64_t total = 0;
    auto* out = static_cast<uint8_t*>(dst);
    while (total < n) {
      unsigned chunk = static_cast<unsigned>(std::min<int64_t>(n - total, int64_t{1} << 30));
      int got = gzread(f, out + total, chunk);
      if (got < 0) return -1;
      if (got == 0) break;
      total += got;
    }
    return total;
  };
  auto t = read_idx(read, path, max_items);
  gzclose(f);
  return t;
}

Result<LabeledDataset> load_fashion_mnist(const std::string& split, int count, const std::string& dir) {
  if (split != "train" && split != "test")
    return invalid_argument("fashion-mnist split must be 'train' or 'test', got '" + split + "'");
  std::string prefix = dir + "/" + (split == "train" ? "train" : "t10k");
  std::string images_path = prefix + "-images-idx3-ubyte.gz", labels_path = prefix + "-labels-idx1-ubyte.gz";
  for (const std::string& p : {images_path, labels_path})
    if (!std::filesystem::exists(p))
      return not_found("Fashion-MNIST file '" + p + "' is missing; install Debian's dataset-fashion-mnist package (apt-get install dataset-fashion-mnist)");
  EW_ASSIGN_OR_RETURN(Tensor pixels, read_idx_file(images_path, count));
  EW_ASSIGN_OR_RETURN(Tensor labels, read_idx_file(labels_path, count));
  if (pixels.rank() != 3 || labels.rank() != 1 || pixels.dim(0) != labels.dim(0))
    return invalid_argument(images_path + ": images " + shape_to_string(pixels.shape()) + " and labels " +
                            shape_to_string(labels.shape()) + " do not form a dataset of N×H×W images and N labels");
  LabeledDataset ds;
  EW_ASSIGN_OR_RETURN(ds.images, Tensor::create(DType::kFloat32, {pixels.dim(0), 1, pixels.dim(1), pixels.dim(2)}));
  const uint8_t* src = pixels.data<uint8_t>();
  float* dst = ds.images.data<float>();
  for (int64_t i = 0; i < pixels.numel(); ++i) dst[i] = static_cast<float>(src[i]) / 255.0f;
  const uint8_t* l = labels.data<uint8_t>();
  ds.labels.assign(l, l + labels.numel());
  return ds;
}

Result<LabeledDataset> sample_fashion_mnist(const std::string& split, int count, int64_t* total, const std::string& dir) {
  EW_ASSIGN_OR_RETURN(LabeledDataset all, load_fashion_mnist(split, 0, dir));
  const int64_t n = all.images.dim(0);
  if (total) *total = n;
  if (count <= 0 || count >= n) return all;
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(20221207);
  for (int64_t i = 0; i < count; ++i) {  // partial Fisher-Yates: the first `count` are a uniform sample
    std::uniform_int_distribution<int64_t> pick(i, n - 1);
    std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(pick(rng))]);
  }
  order.resize(static_cast<size_t>(count));
  std::sort(order.begin(), order.end());
  const int64_t h = all.images.dim(2), w = all.images.dim(3), image = h * w;
  LabeledDataset ds;
  EW_ASSIGN_OR_RETURN(ds.images, Tensor::create(DType::kFloat32, {count, 1, h, w}));
  const float* src = all.images.data<float>();
  float* dst = ds.images.data<float>();
  for (size_t i = 0; i < order.size(); ++i) {
    std::copy_n(src + order[i] * image, image, dst + static_cast<int64_t>(i) * image);
    ds.labels.push_back(all.labels[static_cast<size_t>(order[i])]);
  }
  return ds;
}

}  // namespace ew
