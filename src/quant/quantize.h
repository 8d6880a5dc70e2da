// Post-training quantization of an ONNX model, the engine behind
// `edgewise quantize`. Every mode rewrites the model into standard ONNX that
// ONNX Runtime also reads:
//   static  QuantizeLinear/DequantizeLinear pairs (QDQ) on activations and
//           weights, activation ranges from calibration;
//   dynamic int8 weights, activations quantized at run time
//           (DynamicQuantizeLinear -> MatMulInteger, as ORT's dynamic quantizer);
//   fp16    float16 weights (initializers stored in half, Cast back to float);
//   int4    block-wise weight-only MatMul/Gemm weights (com.microsoft::MatMulNBits).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "quant/calibration.h"

namespace ew::quant {

enum class QuantMode { kStatic, kDynamic, kFp16, kInt4 };
Result<QuantMode> quant_mode_from_name(const std::string& name);  // static|dynamic|fp16|int4
const char* quant_mode_name(QuantMode m);

struct QuantizeOptions {
  int version = 1;
  QuantMode mode = QuantMode::kStatic;
  DType activation_type = DType::kInt8;  // static: kInt8 (S8S8) or kUInt8 (U8S8)
  DType weight_type = DType::kInt8;
  bool per_channel = true;               // weights of Conv/Gemm/MatMul, per output channel
  bool symmetric_activations = false;
  bool symmetric_weights = true;
  bool reduce_range = true;              // 7-bit weights (quant_params.h): exact in x86 kernels without VNNI
  std::vector<std::string> exclude;      // node names or op types left in float
  bool keep_first_last = false;          // first and last quantizable layers stay float
  int block_size = 32;                   // int4: 32, 64 or 128
  bool int4_symmetric = true;            // int4: no zero points when true
  bool equalize = false;                 // cross-layer equalization before quantizing
  bool equalize_relu6_as_relu = false;   // equalize through ReLU6 by making it Relu (equalization.h)
  bool bias_correction = false;          // fold the mean quantization error of each layer into its bias
  float smooth_alpha = 0.0f;             // > 0: SmoothQuant scale migration on MatMul inputs
  // Mixed precision: node name -> bits (4, 8 or 16 = keep float). Nodes not
  // listed get the mode's default.
  std::map<std::string, int> layer_bits;
};

// What happened to one quantizable node (Conv, Gemm, MatMul, ...).
struct LayerQuantReport {
  std::string node, op_type;
  int bits = 32;                  // 32: left in float; 16: fp16; 8; 4
  std::string why;                // why it was left in float or given these bits
  float weight_scale_min = 0.0f;  // per-channel scale range (equal when per tensor)
  float weight_scale_max = 0.0f;
  double weight_sqnr_db = 0.0;    // of the dequantized weight against the float one
  float input_scale = 0.0f;       // activation scale of its first input (static)
  int32_t input_zero_point = 0;
};

struct QuantizeReport {
  QuantMode mode = QuantMode::kStatic;
  int64_t bytes_before = 0, bytes_after = 0;  // serialized model sizes
  std::vector<LayerQuantReport> layers;
  std::map<std::string, int> ops_before, ops_after;
  int calibration_samples = 0;
  CalibrationMethod calibration_method = CalibrationMethod::kPercentile;
  // Float-model adjustments made before calibration (static mode).
  int equalized_pairs = 0;        // Conv pairs rescaled by cross-layer equalization
  int relu6_replaced = 0;         // ReLU6 made Relu for equalization
  int bias_corrected_layers = 0;
  int smoothed_tensors = 0;       // MatMul inputs given SmoothQuant scales
  // The written model passed the ONNX checker (false: the input model
  // already failed it, so the output could not be held to it).
  bool onnx_checked = false;
  // Default-domain opset raised before quantizing (0, 0: unchanged).
  int64_t opset_before = 0, opset_after = 0;
};

}  // namespace ew::quant
