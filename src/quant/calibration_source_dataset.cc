// Calibration data from a named dataset: "fashion-mnist" is the training
// split of Debian's dataset-fashion-mnist, N×1×28×28 pixels in [0, 1]; a
// `count` below its 60,000 images takes a fixed-seed sample spread over it.
#include "quant/calibration_source.h"
#include "data/dataset.h"

namespace ew::quant {

Result<std::unique_ptr<CalibrationSource>> open_dataset_source(const std::string& name, const Model& model, int count) {
  if (name != "fashion-mnist")
    return not_found("unknown calibration dataset '" + name + "' (known: fashion-mnist), and no such file or folder");
  if (model.graph.inputs.size() != 1)
    return invalid_argument("fashion-mnist feeds a model with one image input; this model has " +
                            std::to_string(model.graph.inputs.size()) + " inputs");
  EW_ASSIGN_OR_RETURN(LabeledDataset ds, sample_fashion_mnist("train", count));
  std::map<std::string, Tensor> arrays{{model.graph.inputs[0].name, std::move(ds.images)}};
  return make_array_source(std::move(arrays), model, count);
}

}  // namespace ew::quant
