// The kinds of calibration source behind open_calibration_source(), and the
// pieces they share. Every source yields model inputs shaped for the model:
// a sample (or batch) of an array is reshaped to the declared input's rank,
// filling the batch dim with the number of samples.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "quant/calibration.h"

namespace ew::quant {

// Arrays whose first axis is the sample axis, one per model input (by name).
// Yields `batch` samples at a time (fewer at the end); a model input whose
// first dim is fixed takes that many samples per step instead (usually 1).
// `count` > 0 caps the samples. Array dtypes are converted to the inputs'
// numeric dtypes. Fails when arrays disagree on their sample count or do not
// match the model's inputs.
Result<std::unique_ptr<CalibrationSource>> make_array_source(std::map<std::string, Tensor> arrays, const Model& model,
                                                             int count, int batch = 1);

// `samples` rows [begin, begin + n) of an array (first axis = samples) as an
// input of type `input`: dtype converted, shape [n, ...] reshaped to its rank.
Result<Tensor> sample_batch(const Tensor& samples, int64_t begin, int64_t n, const ValueInfo& input);

// Sources by kind (open_calibration_source picks one from the spec).
Result<std::unique_ptr<CalibrationSource>> open_npy_source(const std::string& path, const Model& model, int count);
Result<std::unique_ptr<CalibrationSource>> open_npz_source(const std::string& path, const Model& model, int count);
Result<std::unique_ptr<CalibrationSource>> open_test_data_source(const std::string& dir, const Model& model, int count);
Result<std::unique_ptr<CalibrationSource>> open_dataset_source(const std::string& name, const Model& model, int count);

// The arrays of an .npz archive (a zip of NAME.npy members, stored or
// deflated), keyed by NAME. Corrupt or truncated archives give a Status
// naming `what` (usually the path) and the member at fault.
Result<std::map<std::string, Tensor>> parse_npz(const std::string& bytes, const std::string& what);
Result<std::map<std::string, Tensor>> read_npz(const std::string& path);

}  // namespace ew::quant
