// Every opset adapter, one set per op family (one file each). Adding one:
// write its file, declare its set here, add it to all_opset_adapters().
// Within one op and boundary, adapters run in this order.
#pragma once

#include <vector>

#include "passes/opset/opset_adapter.h"

namespace ew::opset {

extern const std::vector<OpsetAdapter> kNegativeAxesAdapters;     // below 11: negative axes made explicit
extern const std::vector<OpsetAdapter> kUpsampleResizeAdapters;   // Upsample 9, Upsample <-> Resize 10, Resize 11, 13
extern const std::vector<OpsetAdapter> kSliceAdapters;            // Slice 10
extern const std::vector<OpsetAdapter> kScalarInputAdapters;      // Clip 11, TopK 10, Dropout 10/12
extern const std::vector<OpsetAdapter> kPadAdapters;              // Pad 11
extern const std::vector<OpsetAdapter> kAxesInputAdapters;        // Squeeze, Unsqueeze, ReduceSum, Split 13
extern const std::vector<OpsetAdapter> kSoftmaxAdapters;          // Softmax, LogSoftmax, Hardmax 13
extern const std::vector<OpsetAdapter> kBatchNormAdapters;        // BatchNormalization 9, 14, 15
extern const std::vector<OpsetAdapter> kScatterAdapters;          // Scatter <-> ScatterElements 11
extern const std::vector<OpsetAdapter> kLayerNormAdapters;        // LayerNormalization 17
extern const std::vector<OpsetAdapter> kLaterOpAdapters;          // Constant 12, HardSwish 14, CastLike 15, Shape 15
extern const std::vector<OpsetAdapter> kChangedDefaultAdapters;   // Max/Min/Mean/Sum 8, Scan 9, Gemm 11, Pow 12,
                                                                  // (De)QuantizeLinear 13, Reshape 14, RoiAlign 16

inline std::vector<const std::vector<OpsetAdapter>*> all_opset_adapters() {
  return {&kNegativeAxesAdapters, &kUpsampleResizeAdapters, &kSliceAdapters,   &kScalarInputAdapters,
          &kPadAdapters,          &kAxesInputAdapters,      &kSoftmaxAdapters, &kBatchNormAdapters,
          &kScatterAdapters,      &kLayerNormAdapters,      &kLaterOpAdapters, &kChangedDefaultAdapters};
}

}  // namespace ew::opset
