#include "device/model_prediction.h"

#include "device/op_cost.h"
#include "ir/onnx_import.h"
#include "passes/pass_manager.h"
#include "ops/shape_inference.h"

namespace ew {

Result<ModelPrediction> predict_model_roofline(Model model, const DeviceProfile& device,
                                               const std::map<std::string, int64_t>& dims) {
  bind_symbolic_dims(model, dims, 1);
  EW_RETURN_IF_ERROR(optimize_model(model, 2));
  EW_RETURN_IF_ERROR(infer_shapes(model));
  return predict_roofline(op_costs(model), device);
}

Result<ModelPrediction> predict_model_roofline(const std::string& model_path, const DeviceProfile& device,
                                               const std::map<std::string, int64_t>& dims) {
  EW_ASSIGN_OR_RETURN(Model model, load_onnx(model_path));
  return predict_model_roofline(std::move(model), device, dims);
}

double energy_at_latency(const ModelPrediction& prediction, const DeviceProfile& device, double latency_s) {
  return prediction.dynamic_energy_j + device.static_power() * latency_s;
}

}  // namespace ew
