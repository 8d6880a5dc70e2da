// ArraySource: calibration samples held as arrays in memory (from .npy, .npz
// or a dataset), sliced along their first axis into model inputs.
#include <algorithm>

#include "quant/calibration_source.h"

namespace ew::quant {

namespace {

class ArraySource : public CalibrationSource {
 public:
  ArraySource(std::vector<std::pair<ValueInfo, Tensor>> arrays, int64_t samples, int64_t step)
      : arrays_(std::move(arrays)), samples_(samples), step_(step) {}

  int size() const override { return static_cast<int>(samples_); }

  Result<bool> next(std::map<std::string, Tensor>& inputs) override {
    int64_t n = std::min(step_, samples_ - pos_);
    if (n <= 0 || (fixed_step_ && n < step_)) return false;
    inputs.clear();
    for (const auto& [input, array] : arrays_) {
      EW_ASSIGN_OR_RETURN(Tensor t, sample_batch(array, pos_, n, input));
      inputs[input.name] = std::move(t);
    }
    pos_ += n;
    return true;
  }

  Status rewind() override {
    pos_ = 0;
    return Status::ok();
  }

  void set_fixed_step() { fixed_step_ = true; }

 private:
  std::vector<std::pair<ValueInfo, Tensor>> arrays_;
  int64_t samples_ = 0, step_ = 1, pos_ = 0;
  bool fixed_step_ = false;  // the model's batch dim is fixed: never yield a short batch
};

// Samples per step for `input` fed from rows of shape `rows`: a fixed batch
// dim takes its size when rows lack it, else `batch`.
int64_t step_for(const ValueInfo& input, const Shape& rows, int batch, bool& fixed) {
  fixed = false;
  const ValueType& t = input.type;
  if (!t.has_shape || t.dims.empty() || !t.dims[0].known()) return std::max(1, batch);
  fixed = true;
  if (rows.size() + 1 == t.dims.size()) return std::max<int64_t>(1, t.dims[0].value);
  return 1;
}

}  // namespace

Result<std::unique_ptr<CalibrationSource>> make_array_source(std::map<std::string, Tensor> arrays, const Model& model,
                                                             int count, int batch) {
  std::vector<std::pair<ValueInfo, Tensor>> bound;
  int64_t samples = -1, step = 1;
  bool fixed = false;
  for (const ValueInfo& input : model.graph.inputs) {
    auto it = arrays.find(input.name);
    if (it == arrays.end() && arrays.size() == 1 && model.graph.inputs.size() == 1) it = arrays.begin();
    if (it == arrays.end()) {
      std::string names;
      for (const auto& [k, v] : arrays) names += (names.empty() ? "" : ", ") + k;
      return invalid_argument("no calibration array for input '" + input.name + "' (arrays: " + names + ")");
    }
    const Tensor& a = it->second;
    if (a.rank() < 1) return invalid_argument("calibration array '" + it->first + "' is a scalar; its first axis must count samples");
    if (samples >= 0 && a.dim(0) != samples)
      return invalid_argument("calibration arrays disagree on the number of samples: '" + it->first + "' has " +
                              std::to_string(a.dim(0)) + ", others " + std::to_string(samples));
    samples = a.dim(0);
    bool f = false;
    step = std::max(step, step_for(input, Shape(a.shape().begin() + 1, a.shape().end()), batch, f));
    fixed |= f;
    bound.emplace_back(input, a);
  }
  if (bound.empty()) return invalid_argument("the model has no inputs to calibrate");
  if (count > 0) samples = std::min<int64_t>(samples, count);
  if (samples <= 0) return invalid_argument("the calibration data holds no samples");
  auto src = std::make_unique<ArraySource>(std::move(bound), samples, step);
  if (fixed) {
    src->set_fixed_step();
    if (samples < step)
      return invalid_argument("the model takes batches of " + std::to_string(step) + " samples; the data has only " +
                              std::to_string(samples));
  }
  // Check the first step's shapes now, so a mismatch is reported at open time.
  std::map<std::string, Tensor> probe;
  EW_RETURN_IF_ERROR(src->next(probe).status());
  EW_RETURN_IF_ERROR(src->rewind());
  return std::unique_ptr<CalibrationSource>(std::move(src));
}

}  // namespace ew::quant
