#include "train/training_data.h"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "core/npy.h"

namespace ew::train {
namespace {

// Uniform integer in [0, n) from 64 random bits (the same on every platform, unlike std distributions).
int64_t draw(std::mt19937_64& rng, int64_t n) { return static_cast<int64_t>(rng() % static_cast<uint64_t>(n)); }

Result<Tensor> rows(const Tensor& t, const std::vector<int64_t>& index) {
  Shape s = t.shape();
  s[0] = static_cast<int64_t>(index.size());
  EW_ASSIGN_OR_RETURN(Tensor out, Tensor::create(t.dtype(), s));
  const size_t row = t.nbytes() / static_cast<size_t>(t.dim(0));
  const auto* src = static_cast<const uint8_t*>(t.raw());
  auto* dst = static_cast<uint8_t*>(out.raw());
  for (size_t i = 0; i < index.size(); ++i) {
    if (index[i] < 0 || index[i] >= t.dim(0)) return invalid_argument("sample index out of range");
    std::memcpy(dst + i * row, src + static_cast<size_t>(index[i]) * row, row);
  }
  return out;
}

// Random crop (from the zero-padded image) and horizontal flip, in place, per image.
void augment(Tensor& x, const Augmentation& a, std::mt19937_64& rng) {
  const int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3), p = a.crop_padding;
  std::vector<float> img(static_cast<size_t>(c * h * w));
  for (int64_t i = 0; i < n; ++i) {
    float* d = x.data<float>() + i * c * h * w;
    std::memcpy(img.data(), d, img.size() * sizeof(float));
    const int64_t dy = p > 0 ? draw(rng, 2 * p + 1) - p : 0, dx = p > 0 ? draw(rng, 2 * p + 1) - p : 0;
    const bool flip = a.horizontal_flip && draw(rng, 2) == 1;
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t y = 0; y < h; ++y)
        for (int64_t xx = 0; xx < w; ++xx) {
          const int64_t sy = y + dy, sx0 = xx + dx, sx = flip ? w - 1 - sx0 : sx0;
          const bool inside = sy >= 0 && sy < h && sx0 >= 0 && sx0 < w;
          d[(ch * h + y) * w + xx] = inside ? img[static_cast<size_t>((ch * h + sy) * w + sx)] : 0.0f;
        }
  }
}

}  // namespace

TrainingData from_labeled(const LabeledDataset& d) {
  TrainingData t;
  t.inputs = d.images;
  std::vector<int64_t> labels(d.labels.begin(), d.labels.end());
  t.labels = Tensor::from_vector<int64_t>({static_cast<int64_t>(labels.size())}, labels).value();
  return t;
}

Status check_data(const TrainingData& d) {
  if (!d.inputs.defined() || d.inputs.rank() == 0 || d.inputs.dim(0) == 0) return invalid_argument("the training data is empty");
  if (d.inputs.dtype() != DType::kFloat32) return invalid_argument("inputs must be float32, got " + d.inputs.describe());
  if (!d.labels.defined() || d.labels.rank() == 0 || d.labels.dim(0) != d.inputs.dim(0))
    return invalid_argument("labels " + d.labels.describe() + " do not match inputs " + d.inputs.describe() +
                            " (the first dims must agree)");
  if (d.labels.dtype() != DType::kInt64 && d.labels.dtype() != DType::kFloat32)
    return invalid_argument("labels must be int64 class indices or float32 targets, got " + d.labels.describe());
  return Status::ok();
}

Result<TrainingData> load_npy_pair(const std::string& inputs_path, const std::string& labels_path) {
  TrainingData d;
  EW_ASSIGN_OR_RETURN(d.inputs, read_npy(inputs_path));
  EW_ASSIGN_OR_RETURN(Tensor y, read_npy(labels_path));
  if (is_integer(y.dtype())) {
    std::vector<int64_t> v = y.to_int64_vector();
    EW_ASSIGN_OR_RETURN(d.labels, Tensor::from_vector<int64_t>(y.shape(), v));
  } else {
    d.labels = y;
  }
  Status s = check_data(d);
  if (!s.is_ok()) return invalid_argument(inputs_path + ", " + labels_path + ": " + s.message());
  return d;
}

std::vector<int64_t> permutation(int64_t n, std::mt19937_64& rng) {
  std::vector<int64_t> p(static_cast<size_t>(n));
  std::iota(p.begin(), p.end(), 0);
  for (int64_t i = n - 1; i > 0; --i) std::swap(p[static_cast<size_t>(i)], p[static_cast<size_t>(draw(rng, i + 1))]);
  return p;
}

Result<std::pair<TrainingData, TrainingData>> split_validation(const TrainingData& d, double fraction, uint64_t seed) {
  EW_RETURN_IF_ERROR(check_data(d));
  if (!(fraction >= 0 && fraction < 1)) return invalid_argument("the validation fraction must be in [0, 1)");
  std::mt19937_64 rng(seed ^ 0x5eed5eedull);
  std::vector<int64_t> p = permutation(d.size(), rng);
  const int64_t val = static_cast<int64_t>(static_cast<double>(d.size()) * fraction);
  if (d.size() - val < 1) return invalid_argument("no training samples left after the validation split");
  std::vector<int64_t> tr(p.begin(), p.end() - val), va(p.end() - val, p.end());
  std::sort(tr.begin(), tr.end());
  std::sort(va.begin(), va.end());
  std::pair<TrainingData, TrainingData> out;
  EW_ASSIGN_OR_RETURN(out.first.inputs, rows(d.inputs, tr));
  EW_ASSIGN_OR_RETURN(out.first.labels, rows(d.labels, tr));
  if (val > 0) {
    EW_ASSIGN_OR_RETURN(out.second.inputs, rows(d.inputs, va));
    EW_ASSIGN_OR_RETURN(out.second.labels, rows(d.labels, va));
  }
  return out;
}

Result<TrainingData> select_classes(const TrainingData& d, const std::vector<int64_t>& classes) {
  EW_RETURN_IF_ERROR(check_data(d));
  if (d.labels.dtype() != DType::kInt64) return invalid_argument("selecting classes needs class-index labels");
  std::vector<int64_t> keep;
  for (int64_t i = 0; i < d.size(); ++i)
    if (std::find(classes.begin(), classes.end(), d.labels.data<int64_t>()[i]) != classes.end()) keep.push_back(i);
  if (keep.empty()) return invalid_argument("no sample has one of the selected classes");
  TrainingData out;
  EW_ASSIGN_OR_RETURN(out.inputs, rows(d.inputs, keep));
  EW_ASSIGN_OR_RETURN(out.labels, rows(d.labels, keep));
  return out;
}

Result<TrainingData> batch(const TrainingData& d, const std::vector<int64_t>& index, const Augmentation& a,
                           std::mt19937_64& rng) {
  TrainingData b;
  EW_ASSIGN_OR_RETURN(b.inputs, rows(d.inputs, index));
  EW_ASSIGN_OR_RETURN(b.labels, rows(d.labels, index));
  if (a.any()) {
    if (b.inputs.rank() != 4) return invalid_argument("augmentation needs images [N, C, H, W], got " + b.inputs.describe());
    augment(b.inputs, a, rng);
  }
  return b;
}

}  // namespace ew::train
