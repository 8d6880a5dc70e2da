// Calibration data from a folder of test_data_set_N folders (the ONNX
// model-zoo layout): each set's input_K.pb tensors are one sample.
#include "check/test_data.h"
#include "quant/calibration_source.h"

namespace ew::quant {

namespace {

class TestDataSource : public CalibrationSource {
 public:
  TestDataSource(std::vector<std::string> dirs, const Model& model) : dirs_(std::move(dirs)), inputs_(model.graph.inputs) {}

  int size() const override { return static_cast<int>(dirs_.size()); }

  Result<bool> next(std::map<std::string, Tensor>& inputs) override {
    if (pos_ >= dirs_.size()) return false;
    const std::string& dir = dirs_[pos_++];
    EW_ASSIGN_OR_RETURN(TestDataSet set, read_test_data_set(dir));
    inputs.clear();
    bool by_name = !set.inputs.empty();
    for (const auto& nt : set.inputs) {
      bool found = false;
      for (const auto& v : inputs_) found |= v.name == nt.name;
      by_name &= found;
    }
    if (!by_name && set.inputs.size() != inputs_.size())
      return invalid_argument(dir + ": " + std::to_string(set.inputs.size()) + " inputs for a model with " +
                              std::to_string(inputs_.size()));
    for (size_t k = 0; k < set.inputs.size(); ++k) {
      const std::string& name = by_name ? set.inputs[k].name : inputs_[k].name;
      inputs[name] = set.inputs[k].tensor;
    }
    return true;
  }

  Status rewind() override {
    pos_ = 0;
    return Status::ok();
  }

 private:
  std::vector<std::string> dirs_;
  std::vector<ValueInfo> inputs_;
  size_t pos_ = 0;
};

}  // namespace

Result<std::unique_ptr<CalibrationSource>> open_test_data_source(const std::string& dir, const Model& model, int count) {
  std::vector<std::string> dirs = list_test_data_sets(dir);
  if (dirs.empty()) return not_found("calibration folder '" + dir + "' holds no test_data_set_N folders");
  if (count > 0 && dirs.size() > static_cast<size_t>(count)) dirs.resize(static_cast<size_t>(count));
  return std::unique_ptr<CalibrationSource>(std::make_unique<TestDataSource>(std::move(dirs), model));
}

}  // namespace ew::quant
